using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Client.Configuration;
using Fabric.Client.EmbeddedTests.Support;
using Grpc.Core;
using Fabric.Grpc;

namespace Fabric.Client.EmbeddedTests;

/// <summary>A network whose peers serve plain-text HTTP/2 (h2c), as for development.</summary>
public sealed class PlainTextNetwork : IAsyncLifetime
{
    public TestNetwork Net { get; private set; } = null!;

    public async Task InitializeAsync() => Net = await TestNetwork.StartAsync(d => d.Tls = false);

    public async Task DisposeAsync() => await Net.DisposeAsync();
}

/// <summary>h2c: the client connects with an http:// endpoint and no TLS settings.</summary>
public sealed class H2cTests(PlainTextNetwork fixture) : IClassFixture<PlainTextNetwork>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Submit_evaluate_and_events_work_over_h2c_from_a_settings_file()
    {
        var net = fixture.Net;
        var peer = net.Peer(0);
        Assert.Equal("http", peer.Uri.Scheme);
        var file = Path.Combine(_temp.Path, "gateway.yaml");
        File.WriteAllText(file, $"""
            peerEndpoint: {peer.Uri}
            mspId: {peer.MspId}
            mspPath: {net.Network.Client(peer.MspId).MspDirectory}
            """);
        using var connection = GatewayConnection.Open(GatewaySettings.Load(file));
        var network = connection.Gateway.GetNetwork(net.ChannelName);
        var contract = network.GetContract(TestNetwork.Chaincode);
        var key = Keys.New("h2c");

        var submitted = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(key, "plain"));
        var status = await submitted.GetStatusAsync();
        Assert.True(status.Successful);
        Assert.Equal("plain", Contract.AsString(await contract.EvaluateTransactionAsync("Get", key)));

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var block in network.GetFilteredBlocksAsync(new EventsOptions { StartBlock = status.BlockNumber }, cancel.Token))
        {
            Assert.Contains(block.FilteredTransactions, t => t.Txid == status.TransactionId);
            break;
        }
    }
}

/// <summary>A network whose peers require TLS client certificates (mutual TLS).</summary>
public sealed class MutualTlsNetwork : IAsyncLifetime
{
    public TestNetwork Net { get; private set; } = null!;

    public async Task InitializeAsync() => Net = await TestNetwork.StartAsync(d => d.MutualTls = true);

    public async Task DisposeAsync() => await Net.DisposeAsync();
}

/// <summary>Mutual TLS: the client presents its TLS certificate, and binds block-event requests to it.</summary>
public sealed class MutualTlsTests(MutualTlsNetwork fixture) : IClassFixture<MutualTlsNetwork>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private TestNetwork Net => fixture.Net;

    private string SettingsFile(bool withClientCertificate)
    {
        var peer = Net.Peer(0);
        var user = Net.Network.Client(peer.MspId);
        var file = Path.Combine(_temp.Path, $"gateway-{withClientCertificate}.yaml");
        File.WriteAllText(file, $"""
            peerEndpoint: {peer.Uri}
            serverNameOverride: {peer.ServerNameOverride}
            tlsCaCertPath: {peer.TlsRootCertFile}
            mspId: {peer.MspId}
            mspPath: {user.MspDirectory}
            {(withClientCertificate ? $"tlsClientCertPath: {user.TlsCertificateFile}\ntlsClientKeyPath: {user.TlsPrivateKeyFile}" : "")}
            """);
        return file;
    }

    [Fact]
    public async Task Client_with_its_TLS_certificate_submits_and_reads_block_events()
    {
        using var connection = GatewayConnection.Open(GatewaySettings.Load(SettingsFile(withClientCertificate: true)));
        var network = connection.Gateway.GetNetwork(Net.ChannelName);
        var key = Keys.New("mtls");

        var submitted = await network.GetContract(TestNetwork.Chaincode).SubmitAsync("Put", new ProposalOptions().AddArguments(key, "mutual"));
        var status = await submitted.GetStatusAsync();
        Assert.True(status.Successful);
        Assert.Equal("mutual", Net.Network.StateOf(TestNetwork.Chaincode, key));

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var block in network.GetBlocksAsync(new EventsOptions { StartBlock = status.BlockNumber }, cancel.Token))
        {
            Assert.Equal(status.BlockNumber, block.Header.Number);
            break;
        }
    }

    [Fact]
    public async Task Client_without_a_TLS_certificate_cannot_connect()
    {
        using var connection = GatewayConnection.Open(GatewaySettings.Load(SettingsFile(withClientCertificate: false)));

        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            connection.Gateway.GetNetwork(Net.ChannelName).GetContract(TestNetwork.Chaincode).EvaluateTransactionAsync("Get", "k"));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task Block_events_without_the_TLS_certificate_hash_are_refused_as_a_bad_request()
    {
        var peer = Net.Peer(0);
        var user = Net.Network.Client(peer.MspId);
        var clientCertificate = X509Certificate2.CreateFromPemFile(user.TlsCertificateFile, user.TlsPrivateKeyFile);
        var msp = Net.User(peer.MspId);
        var channel = Net.Channel(0, clientCertificate);
        var unbound = Gateway.Connect(channel, msp.Identity!, msp.Signer);   // TlsClientCertificateHash not set
        var bound = Gateway.Connect(channel, msp.Identity!, msp.Signer, new GatewayOptions { TlsClientCertificateHash = SHA256.HashData(clientCertificate.RawData) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var _ in unbound.GetNetwork(Net.ChannelName).GetFilteredBlocksAsync(new EventsOptions { StartBlock = 0 }, cancel.Token)) { }
        });
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);   // Deliver's BAD_REQUEST, as Fabric answers

        await foreach (var block in bound.GetNetwork(Net.ChannelName).GetFilteredBlocksAsync(new EventsOptions { StartBlock = 0 }, cancel.Token))
        {
            Assert.Equal(0UL, block.Number);
            break;
        }
    }
}
