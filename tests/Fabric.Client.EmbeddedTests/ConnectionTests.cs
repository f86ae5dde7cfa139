using System.Text.Json;
using Fabric.Client.Configuration;
using Fabric.Client.EmbeddedTests.Support;
using Fabric.Protocol.Identity;

namespace Fabric.Client.EmbeddedTests;

/// <summary>
/// Connecting over TLS with identities from the network's cryptogen-layout MSP folders, and from settings files
/// (YAML with relative paths, JSON with certificate and key files).
/// </summary>
[Collection(SharedNetworkCollection.Name)]
public sealed class ConnectionTests(SharedNetwork shared) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private TestNetwork Net => shared.Net;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Identity_from_an_MSP_folder_over_TLS_is_the_creator_the_ledger_records()
    {
        var peer = Net.Peer(1);
        var user = Net.User(peer.MspId);
        var contract = Net.KvContract(Gateway.Connect(Net.Channel(1), user.Identity!, user.Signer));

        var submitted = await contract.SubmitAsync("Put", new ProposalOptions().AddArguments(Keys.New("msp"), "x"));
        Assert.True((await submitted.GetStatusAsync()).Successful);

        var tx = Net.Network.Transactions().Single(t => t.Transaction.TransactionId == submitted.TransactionId).Transaction;
        var creator = tx.Envelope.Creator();
        Assert.Equal(peer.MspId, creator.MspId);
        Assert.Equal(File.ReadAllText(Net.Network.Client(peer.MspId).SignCertificateFile).Trim(), creator.CertificatePem.Trim());
        Assert.True(tx.Envelope.VerifySignature());
    }

    [Fact]
    public async Task Yaml_settings_with_paths_relative_to_the_file_connect_and_submit()
    {
        var peer = Net.Peer(2);
        var dataDirectory = Net.Network.DataDirectory;
        var file = Path.Combine(dataDirectory, $"gateway-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, $"""
            # written like an operator would, next to the crypto folder
            peerEndpoint: {peer.Uri}
            serverNameOverride: {peer.ServerNameOverride}
            tlsCaCertPath: {Path.GetRelativePath(dataDirectory, peer.TlsRootCertFile)}
            mspId: {peer.MspId}
            mspPath: {Path.GetRelativePath(dataDirectory, Net.Network.Client(peer.MspId).MspDirectory)}
            channel: {Net.ChannelName}
            """);

        using var connection = GatewayConnection.Open(GatewaySettings.Load(file));
        var contract = connection.Gateway.GetNetwork(connection.Settings.Channel!).GetContract(TestNetwork.Chaincode);
        var key = Keys.New("yaml");
        await contract.SubmitTransactionAsync("Put", key, "from yaml");

        Assert.Equal("from yaml", Contract.AsString(await contract.EvaluateTransactionAsync("Get", key)));
        Assert.Equal(peer.MspId, connection.Gateway.Identity.MspId);
    }

    [Fact]
    public async Task Json_settings_with_certificate_and_key_files_connect_and_evaluate()
    {
        var peer = Net.Peer(0);
        var user = Net.Network.Client(peer.MspId);
        var file = Path.Combine(_temp.Path, "gateway.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            peerEndpoint = peer.Uri.ToString(),
            serverNameOverride = peer.ServerNameOverride,
            tlsCaCertPath = peer.TlsRootCertFile,
            mspId = peer.MspId,
            certificatePath = user.SignCertificateFile,
            privateKeyPath = user.PrivateKeyFile,
        }));
        var key = Keys.New("json");
        await Net.KvContract(Net.Gateway()).SubmitTransactionAsync("Put", key, "from json");

        using var connection = GatewayConnection.Open(GatewaySettings.Load(file));
        var result = await connection.Gateway.GetNetwork(Net.ChannelName).GetContract(TestNetwork.Chaincode).EvaluateTransactionAsync("Get", key);

        Assert.Equal("from json", Contract.AsString(result));
    }

    [Fact]
    public async Task A_peer_whose_TLS_certificate_is_not_from_the_trusted_CA_is_refused()
    {
        var peer = Net.Peer(0);
        var otherAgencyCa = Net.Peer(1).TlsRootCertFile;   // trusts UNWomen's TLS CA while talking to WFP's peer
        var file = Path.Combine(_temp.Path, "wrong-ca.yaml");
        File.WriteAllText(file, $"""
            peerEndpoint: {peer.Uri}
            serverNameOverride: {peer.ServerNameOverride}
            tlsCaCertPath: {otherAgencyCa}
            mspId: {peer.MspId}
            mspPath: {Net.Network.Client(peer.MspId).MspDirectory}
            """);

        using var connection = GatewayConnection.Open(GatewaySettings.Load(file));
        var e = await Assert.ThrowsAsync<GatewayException>(() =>
            connection.Gateway.GetNetwork(Net.ChannelName).GetContract(TestNetwork.Chaincode).EvaluateTransactionAsync("Get", "k"));

        Assert.Equal(global::Grpc.Core.StatusCode.Unavailable, e.StatusCode);
    }
}
