using System.Text.Json;
using Fabric.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Conformance.Tests.Support;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// Chaincode-as-a-service over TLS and mutual TLS: our shim's server requires client certificates issued by its
/// client CA (CHAINCODE_TLS_CERT/KEY, CHAINCODE_CLIENT_CA_CERT), and the embedded network's peers dial it as
/// Fabric's peer does from the package's connection.json (tls_required + root_cert, client_auth_required +
/// client_cert/client_key). One server, three chaincode definitions that differ only in their connection.json.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class ChaincodeTlsTests : IAsyncLifetime
{
    private const string Trusted = "tlstrusted", Rogue = "tlsrogue", NoClientCert = "tlsnoclientcert";
    private readonly ScratchDirectory _directory = new("ccaas-tls");
    private ChaincodeServer? _server;
    private EmbeddedNetwork? _network;

    public async Task InitializeAsync()
    {
        var serverCa = TestCertificates.Authority("chaincode-tls-ca");
        var clientCa = TestCertificates.Authority("peer-client-ca");
        var server = serverCa.IssueServer("chaincode");
        var peerClient = clientCa.IssueClient("peer0");
        var rogueClient = TestCertificates.Authority("rogue-ca").IssueClient("peer0");

        _server = await ChaincodeServer.StartAsync(new ChaincodeServerOptions
        {
            Address = "127.0.0.1:0",
            ChaincodeId = "tlscc_1.0",
            TlsCertFile = _directory.Write("server.pem", server.CertificatePem),
            TlsKeyFile = _directory.Write("server.key", server.KeyPem),
            ClientCaCertFile = _directory.Write("client-ca.pem", clientCa.CertificatePem),
        }, new ContractRouter(new ConformanceContract()));
        var address = $"127.0.0.1:{_server.Port}";

        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(Chaincode(Trusted, Connection(address, serverCa, peerClient)));
        definition.Chaincodes.Add(Chaincode(Rogue, Connection(address, serverCa, rogueClient)));
        definition.Chaincodes.Add(Chaincode(NoClientCert, Connection(address, serverCa, null)));
        _network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(_directory.Path, "network"), Definition = definition });
    }

    [Fact]
    public async Task A_peer_presenting_a_client_certificate_from_the_servers_client_CA_runs_the_chaincode()
    {
        var status = await SubmitAsync(Trusted, "tls-key", "over mutual TLS");

        Assert.Equal(TxValidationCode.Valid, status.Code);
        Assert.Equal("over mutual TLS", _network!.Ledger.State.Get(Trusted, "tls-key")!.Value.ToStringUtf8());
    }

    [Theory]
    [InlineData(Rogue)]
    [InlineData(NoClientCert)]
    public async Task A_peer_without_the_right_client_certificate_is_refused(string chaincode)
    {
        var e = await Assert.ThrowsAsync<EndorseException>(() => SubmitAsync(chaincode, "refused-key", "never stored"));

        var messages = string.Join(" | ", e.Details.Select(d => d.Message));
        Assert.Contains($"could not connect to chaincode {chaincode}", messages);
        Assert.Null(_network!.Ledger.State.Get(chaincode, "refused-key"));
    }

    [Fact]
    public void A_connection_json_asking_for_client_auth_without_a_client_certificate_is_rejected_with_its_name()
    {
        var path = _directory.Write("incomplete.json", JsonSerializer.Serialize(new { address = "127.0.0.1:1", tls_required = true, client_auth_required = true, root_cert = "x" }));

        var e = Assert.Throws<InvalidDataException>(() => CcaasConnection.Load(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("client_auth_required needs tls_required, client_cert and client_key", e.Message);
    }

    private async Task<Fabric.Client.CommitStatus> SubmitAsync(string chaincode, string key, string value)
    {
        var (gateway, resources) = PeerClient.Connect(_network!, 0);
        using var _ = resources;
        var contract = gateway.GetNetwork(_network!.ChannelName).GetContract(chaincode);
        var submitted = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(key, value));
        return await submitted.GetStatusAsync();
    }

    private static ChaincodeDefinition Chaincode(string name, string connectionFile) =>
        new() { Name = name, PackageId = "tlscc_1.0", ConnectionFile = connectionFile };

    private string Connection(string address, TestCertificates serverCa, TestCertificates? client) =>
        _directory.Write($"connection-{Guid.NewGuid():N}.json", JsonSerializer.Serialize(new
        {
            address,
            dial_timeout = "10s",
            tls_required = true,
            client_auth_required = client is not null,
            root_cert = serverCa.CertificatePem,
            client_cert = client?.CertificatePem ?? "",
            client_key = client?.KeyPem ?? "",
        }));

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        _directory.Dispose();
    }
}
