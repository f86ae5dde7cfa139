using Fabric.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Conformance.Tests.Support;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// Private data survives a restart of the embedded network on the same data directory: member peers read it back
/// from their organisation's private data file, a non-member still cannot, and purges and blockToLive expiry hold
/// (and remove the values from the files).
/// The chaincode server (our shim, <see cref="PrivateDataContract"/>) keeps running across the restart.
/// </summary>
public sealed class PrivateDataRestartTests : IAsyncLifetime
{
    private const int Wfp = 0, UnWomen = 1, Unhcr = 2;
    private const string Chaincode = "pdcrestart";
    private const string Shared = ConformanceNetwork.SharedCollection;
    private const string ShortLived = ConformanceNetwork.ShortLivedCollection; // blockToLive 2
    private const string NotAvailable = "private data matching public hash version is not available";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pdc-restart-{Guid.NewGuid():N}");
    private readonly CollectingLoggerFactory _logs = new();
    private ChaincodeServer? _chaincode;
    private EmbeddedNetwork? _network;

    private EmbeddedNetwork Network => _network ?? throw new InvalidOperationException("The network did not start.");

    public async Task InitializeAsync()
    {
        _chaincode = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{Chaincode}_1.0", TlsDisabled = true },
            new ContractRouter(new ConformanceContract(), new PrivateDataContract()), _logs);
        await StartNetworkAsync();
    }

    [Fact]
    public async Task Member_peers_read_private_data_after_a_restart_purged_and_expired_keys_stay_gone()
    {
        var kept = $"kept-{Guid.NewGuid():N}";
        var keptStatus = await PutAsync(Shared, "kept", kept);
        Assert.Equal(TxValidationCode.Valid, keptStatus.Code);
        var purgedStatus = await PutAsync(Shared, "purged", "to be purged");
        Assert.Equal(TxValidationCode.Valid, purgedStatus.Code);
        Assert.Equal(TxValidationCode.Valid, (await SubmitAsync("PrivateDataContract:PurgePrivate", new ProposalOptions().AddArguments(Shared, "purged"))).Code);
        var expired = await PutAsync(ShortLived, "expired", "short-lived");
        Assert.Equal(TxValidationCode.Valid, expired.Code);
        await CommitBlocksUntilHeightAsync(expired.BlockNumber + 4); // block B+3 committed: expired
        Assert.Equal("", await EvaluateAsync(Wfp, "GetPrivate", null, ShortLived, "expired"));

        await RestartAsync();

        Assert.Equal(kept, await EvaluateAsync(Wfp, "GetPrivate", null, Shared, "kept"));
        Assert.Equal(kept, await EvaluateAsync(UnWomen, "GetPrivate", null, Shared, "kept"));
        var refused = await EvaluateFailureAsync(Unhcr, "GetPrivate", "WFPMSP", Shared, "kept");
        Assert.Contains(NotAvailable, refused);
        Assert.DoesNotContain(kept, refused);
        foreach (var peer in new[] { Wfp, UnWomen })
        {
            Assert.Equal("", await EvaluateAsync(peer, "GetPrivate", null, Shared, "purged"));
            Assert.Equal("", await EvaluateAsync(peer, "GetPrivate", null, ShortLived, "expired"));
        }
        Assert.Equal("", await EvaluateAsync(Unhcr, "GetPrivateHash", null, Shared, "purged"));
        Assert.Equal("", await EvaluateAsync(Unhcr, "GetPrivateHash", null, ShortLived, "expired"));
        // Blocks with private data, read back from the compacted file: the live value, nothing purged or expired.
        Assert.Equal(kept, PrivateBlocks.Writes(await DeliveredAsync(UnWomen, keptStatus.BlockNumber), Chaincode, Shared)["kept"]);
        Assert.Empty(PrivateBlocks.Writes(await DeliveredAsync(Wfp, purgedStatus.BlockNumber), Chaincode, Shared));
        Assert.Empty((await DeliveredAsync(Wfp, expired.BlockNumber)).PrivateDataMap);

        // On disk: each member's file holds the live value; purged and expired values were removed at open; the
        // non-member's file holds nothing.
        foreach (var msp in new[] { "WFPMSP", "UNWomenMSP" })
        {
            var file = File.ReadAllBytes(PrivateFile(msp));
            Assert.True(Contains(file, kept), $"{msp}'s private data file holds the live value");
            Assert.False(Contains(file, "to be purged"), $"{msp}'s private data file still holds a purged value");
            Assert.False(Contains(file, "short-lived"), $"{msp}'s private data file still holds an expired value");
        }
        Assert.Empty(File.ReadAllBytes(PrivateFile("UNHCRMSP")));
    }

    [Fact]
    public async Task Private_writes_overwritten_since_are_still_delivered_with_their_block_after_a_restart()
    {
        var first = $"first-{Guid.NewGuid():N}";
        var second = $"second-{Guid.NewGuid():N}";
        var written = await PutAsync(Shared, "rewritten", first);
        var rewritten = await PutAsync(Shared, "rewritten", second);
        Assert.Equal((TxValidationCode.Valid, TxValidationCode.Valid), (written.Code, rewritten.Code));
        Assert.NotEqual(written.BlockNumber, rewritten.BlockNumber);

        await RestartAsync();

        // As Fabric's private data store: a block's write sets stay until blockToLive or a purge removes them.
        Assert.Equal(second, await EvaluateAsync(Wfp, "GetPrivate", null, Shared, "rewritten"));
        Assert.Equal(first, PrivateBlocks.Writes(await DeliveredAsync(UnWomen, written.BlockNumber), Chaincode, Shared)["rewritten"]);
        Assert.Equal(second, PrivateBlocks.Writes(await DeliveredAsync(UnWomen, rewritten.BlockNumber), Chaincode, Shared)["rewritten"]);

        // Purged, every version goes, from delivery and from the files at the next start.
        Assert.Equal(TxValidationCode.Valid, (await SubmitAsync("PrivateDataContract:PurgePrivate", new ProposalOptions().AddArguments(Shared, "rewritten"))).Code);
        await RestartAsync();
        Assert.Empty(PrivateBlocks.Writes(await DeliveredAsync(Wfp, written.BlockNumber), Chaincode, Shared));
        Assert.Empty(PrivateBlocks.Writes(await DeliveredAsync(Wfp, rewritten.BlockNumber), Chaincode, Shared));
        foreach (var msp in new[] { "WFPMSP", "UNWomenMSP" })
            Assert.False(Contains(File.ReadAllBytes(PrivateFile(msp)), first) || Contains(File.ReadAllBytes(PrivateFile(msp)), second), $"{msp}'s file still holds a purged version");
    }

    private async Task<BlockAndPrivateData> DeliveredAsync(int peer, ulong blockNumber)
    {
        var (gateway, resources) = PeerClient.Connect(Network, peer, null);
        using var _ = resources;
        return await PrivateBlocks.DeliveredAsync(gateway, Network.ChannelName, blockNumber);
    }

    private string PrivateFile(string mspId) => Path.Combine(_dataDirectory, "ledger", "private", $"{mspId}.dat");

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;

    [Fact]
    public async Task Data_written_before_a_restart_expires_after_it_when_its_blockToLive_passes()
    {
        var written = await PutAsync(ShortLived, "expires-later", "still alive");
        Assert.Equal(TxValidationCode.Valid, written.Code);

        await RestartAsync();

        await CommitBlocksUntilHeightAsync(written.BlockNumber + 3); // blocks B+1 and B+2: still alive
        Assert.Equal("still alive", await EvaluateAsync(Wfp, "GetPrivate", null, ShortLived, "expires-later"));
        Assert.Equal("still alive", await EvaluateAsync(UnWomen, "GetPrivate", null, ShortLived, "expires-later"));

        await CommitBlocksUntilHeightAsync(written.BlockNumber + 4); // block B+3: expired on every member
        Assert.Equal("", await EvaluateAsync(Wfp, "GetPrivate", null, ShortLived, "expires-later"));
        Assert.Equal("", await EvaluateAsync(UnWomen, "GetPrivate", null, ShortLived, "expires-later"));
        Assert.Equal("", await EvaluateAsync(Unhcr, "GetPrivateHash", null, ShortLived, "expires-later"));

        // And the expiry itself is replayed on the next start.
        await RestartAsync();
        Assert.Equal("", await EvaluateAsync(Wfp, "GetPrivate", null, ShortLived, "expires-later"));
    }

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
        if (_chaincode is not null) await _chaincode.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    private async Task StartNetworkAsync()
    {
        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = Chaincode, Address = $"127.0.0.1:{_chaincode!.Port}", Collections = ConformanceNetwork.Collections() });
        _network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = _dataDirectory, Definition = definition, LoggerFactory = _logs });
    }

    private async Task RestartAsync()
    {
        await Network.DisposeAsync();
        _network = null;
        await StartNetworkAsync();
    }

    private async Task<CommitStatus> PutAsync(string collection, string key, string value) =>
        await SubmitAsync("PrivateDataContract:PutPrivate", new ProposalOptions().AddArguments(collection, key).AddTransient("value", value));

    private async Task<CommitStatus> SubmitAsync(string function, ProposalOptions options)
    {
        var (gateway, resources) = ClientGateway(Wfp, null);
        using var _ = resources;
        var submitted = await Contract(gateway).SubmitAsync(function, options);
        return await submitted.GetStatusAsync();
    }

    private async Task<string> EvaluateAsync(int peer, string function, string? userMspId, params string[] args)
    {
        var (gateway, resources) = ClientGateway(peer, userMspId);
        using var _ = resources;
        return Fabric.Client.Contract.AsString(await Contract(gateway).EvaluateAsync("PrivateDataContract:" + function, new ProposalOptions().AddArguments(args)));
    }

    private async Task<string> EvaluateFailureAsync(int peer, string function, string? userMspId, params string[] args)
    {
        var e = await Assert.ThrowsAnyAsync<GatewayException>(() => EvaluateAsync(peer, function, userMspId, args));
        return e.Message + " " + string.Join(" | ", e.Details.Select(d => d.Message));
    }

    // Public writes, one block each, until the ledger reaches the height.
    private async Task CommitBlocksUntilHeightAsync(ulong height)
    {
        for (int i = 0; Network.Ledger.Height < height; i++)
        {
            Assert.True(i < 10, "the ledger did not grow");
            var status = await SubmitAsync("Put", new ProposalOptions().AddArguments("filler", i.ToString()));
            Assert.Equal(TxValidationCode.Valid, status.Code);
        }
    }

    private (Fabric.Client.Gateway Gateway, IDisposable Resources) ClientGateway(int peer, string? userMspId)
    {
        var endpoint = Network.Peers[peer];
        var user = Network.Client(userMspId ?? endpoint.MspId);
        var channel = endpoint.OpenChannel();
        var signer = user.CreateSigner();
        return (Fabric.Client.Gateway.Connect(channel, user.Identity, signer), new Resources(channel, signer));
    }

    private static Fabric.Client.Contract Contract(Fabric.Client.Gateway gateway) => gateway.GetNetwork("cashtransfer").GetContract(Chaincode);

    private sealed class Resources(IDisposable channel, IDisposable signer) : IDisposable
    {
        public void Dispose()
        {
            channel.Dispose();
            signer.Dispose();
        }
    }
}
