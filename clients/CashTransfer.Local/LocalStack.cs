using CashTransfer.Chaincode;
using Fabric.Client;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Contract = Fabric.Client.Contract;
using Fabric.Shim.Server;
using Spectre.Console;

namespace CashTransfer.Local;

/// <summary>
/// Everything `cashtransfer up` runs on one machine: the CashTransfer chaincode as a chaincode-as-a-service
/// server and an embedded Fabric network of three agencies whose peers dial it. Clients reach the peers
/// through the Fabric Gateway protocol over TLS, exactly as they would reach a real network.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    public const string ChaincodeName = "cashtransfer";

    private readonly ChaincodeServer _chaincode;
    private readonly List<IDisposable> _connections = [];

    private LocalStack(ChaincodeServer chaincode, EmbeddedNetwork network)
    {
        _chaincode = chaincode;
        Network = network;
    }

    public EmbeddedNetwork Network { get; }

    /// <param name="otherChaincodes">Further chaincodes on the same network (e.g. a benchmark's reference contract), already serving.</param>
    public static async Task<LocalStack> StartAsync(string dataDirectory, IAnsiConsole console, params ChaincodeDefinition[] otherChaincodes)
    {
        // The chaincode link stays on loopback inside this process, so it is plain HTTP/2; the peers' client-facing
        // listeners use TLS. A deployment across machines runs the chaincode with mutual TLS (network/fabric).
        var chaincode = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{ChaincodeName}_1.0", TlsDisabled = true },
            new ContractRouter(CashTransferContracts.All()));
        console.MarkupLine($"[green]chaincode[/] {ChaincodeName} serving chaincode-as-a-service on 127.0.0.1:{chaincode.Port}");

        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = ChaincodeName, Address = $"127.0.0.1:{chaincode.Port}" });
        definition.Chaincodes.AddRange(otherChaincodes);
        try
        {
            var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(dataDirectory, "network"), Definition = definition });
            console.MarkupLine($"[green]network[/] {network.Peers.Count} agency peers on channel {network.ChannelName}, ledger height {network.Ledger.Height}");
            return new LocalStack(chaincode, network);
        }
        catch
        {
            await chaincode.DisposeAsync();
            throw;
        }
    }

    /// <summary>A contract handle acting as <paramref name="user"/> (e.g. Operator) of agency <paramref name="mspId"/>, through that agency's peer.</summary>
    public Contract ContractAs(string mspId, string user, string chaincodeName = ChaincodeName)
    {
        var peer = Network.Peers.Single(p => p.MspId == mspId);
        var credentials = Network.Crypto.PeerOrganization(mspId).UserNamed(user);
        var channel = peer.OpenChannel();
        var signer = credentials.CreateSigner();
        _connections.Add(channel);
        _connections.Add(signer);
        return Fabric.Client.Gateway.Connect(channel, credentials.Identity, signer).GetNetwork(Network.ChannelName).GetContract(chaincodeName);
    }

    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    public void PrintEndpoints(IAnsiConsole console)
    {
        var table = new Table().Title("Agency peers (Fabric Gateway over TLS)").AddColumns("MSP", "peer", "address", "TLS root CA");
        foreach (var peer in Network.Peers)
            table.AddRow(peer.MspId, peer.Name, peer.Uri.ToString(), Display(peer.TlsRootCertFile));
        console.Write(table);
        console.MarkupLine($"Client identities (cryptogen layout): [blue]{Display(Path.Combine(Network.DataDirectory, "crypto"))}[/]");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) connection.Dispose();
        await Network.DisposeAsync();
        await _chaincode.DisposeAsync();
    }
}
