using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fabric.Client;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Network.Configuration;
using Fabric.Network.Conformance.Tests.Support;
using Fabric.Network.Hosting;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// connection.json's dial_timeout bounds the peer's dial of a chaincode server, as on Fabric: a server that takes
/// the TCP connection but never answers the TLS handshake, or over plaintext never speaks HTTP/2 (a listening
/// socket nobody accepts), fails the endorsement once the dial timeout has passed, with an error that says so,
/// well before the client's deadline. Without dial_timeout the peer uses Fabric's default of 3 s.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class ChaincodeDialTimeoutTests : IAsyncLifetime
{
    private const string OneSecond = "dialonesecond", NoTimeout = "dialdefault", Plaintext = "dialplaintext";
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromMinutes(2);
    private readonly ScratchDirectory _directory = new("ccaas-dial");
    private readonly TcpListener _silentServer = new(IPAddress.Loopback, 0);
    private EmbeddedNetwork? _network;

    public async Task InitializeAsync()
    {
        _silentServer.Start(); // the kernel completes TCP handshakes; nobody ever reads the TLS ClientHello
        var address = $"127.0.0.1:{((IPEndPoint)_silentServer.LocalEndpoint).Port}";
        var serverCa = TestCertificates.Authority("silent-chaincode-ca");

        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(Chaincode(OneSecond, Connection(address, serverCa, "1s")));
        definition.Chaincodes.Add(Chaincode(NoTimeout, Connection(address, serverCa, dialTimeout: null)));
        definition.Chaincodes.Add(Chaincode(Plaintext, Connection(address, serverCa: null, "1s")));
        _network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(_directory.Path, "network"), Definition = definition });
    }

    [Fact]
    public async Task A_server_that_never_answers_the_TLS_handshake_fails_endorsement_at_the_configured_dial_timeout()
    {
        var e = await Assert.ThrowsAsync<EndorseException>(() => SubmitAsync(OneSecond));

        Assert.NotEqual(StatusCode.DeadlineExceeded, e.StatusCode); // the peer gave up, not the client
        var messages = Describe(e);
        Assert.Contains($"could not connect to chaincode {OneSecond}", messages);
        Assert.Contains($"no connection to {Address} within the dial timeout of 1s", messages);
        Assert.Null(_network!.Ledger.State.Get(OneSecond, "dial-key"));
    }

    [Fact]
    public async Task A_plaintext_server_that_never_speaks_HTTP2_fails_endorsement_at_the_configured_dial_timeout()
    {
        var e = await Assert.ThrowsAsync<EndorseException>(() => SubmitAsync(Plaintext));

        Assert.NotEqual(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Contains($"no connection to {Address} within the dial timeout of 1s", Describe(e));
    }

    [Fact]
    public async Task Without_a_dial_timeout_the_peer_waits_Fabrics_default_of_three_seconds()
    {
        var e = await Assert.ThrowsAsync<EndorseException>(() => SubmitAsync(NoTimeout));

        Assert.NotEqual(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Contains($"no connection to {Address} within the dial timeout of 3s", Describe(e));
    }

    private string Address => $"127.0.0.1:{((IPEndPoint)_silentServer.LocalEndpoint).Port}";

    private async Task SubmitAsync(string chaincode)
    {
        var (gateway, resources) = PeerClient.Connect(_network!, 0, options: new GatewayOptions { EndorseTimeout = ClientDeadline });
        using var _ = resources;
        var contract = gateway.GetNetwork(_network!.ChannelName).GetContract(chaincode);
        await contract.SubmitAsync("Put", new ProposalOptions().AddArguments("dial-key", "never stored"));
    }

    private static string Describe(GatewayException e) => e.Message + " " + string.Join(" | ", e.Details.Select(d => d.Message));

    private static ChaincodeDefinition Chaincode(string name, string connectionFile) =>
        new() { Name = name, PackageId = "silent_1.0", ConnectionFile = connectionFile };

    private string Connection(string address, TestCertificates? serverCa, string? dialTimeout) =>
        _directory.Write($"connection-{Guid.NewGuid():N}.json", JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["address"] = address,
            ["dial_timeout"] = dialTimeout,
            ["tls_required"] = serverCa is not null,
            ["root_cert"] = serverCa?.CertificatePem,
        }));

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
        _silentServer.Stop();
        _directory.Dispose();
    }
}
