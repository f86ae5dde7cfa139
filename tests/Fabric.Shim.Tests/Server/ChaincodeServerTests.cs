using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc;
using Fabric.Grpc.Client;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using Fabric.Shim.Tests.Replay;
using Fabric.Shim.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Tests.Server;

/// <summary>A fake peer dials the chaincode server over the real transport, as a Fabric peer dials a CCaaS chaincode.</summary>
public sealed class ChaincodeServerTests : IDisposable
{
    private readonly TlsFiles _tls = new();

    public void Dispose() => _tls.Dispose();

    private ChaincodeServerOptions Options(bool mutual, bool tls = true) => ChaincodeServerOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["CHAINCODE_SERVER_ADDRESS"] = "127.0.0.1:0",
        ["CHAINCODE_ID"] = "kvcc_1.0:fbebda68",
        ["CHAINCODE_TLS_DISABLED"] = tls ? "false" : "true",
        ["CHAINCODE_TLS_CERT"] = tls ? _tls.Path("server.pem") : null,
        ["CHAINCODE_TLS_KEY"] = tls ? _tls.Path("server.key") : null,
        ["CHAINCODE_CLIENT_CA_CERT"] = mutual ? _tls.Path("ca.pem") : null,
    }).Build());

    private GrpcChannel Dial(ChaincodeServer server, bool tls, X509Certificate2? clientCertificate) => FabricChannel.Create(
        new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{server.Port}"),
        new FabricChannelOptions { TrustedRoots = [_tls.Ca], ClientCertificate = clientCertificate });

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_peer_registers_and_runs_a_transaction_over_the_network(bool tls, bool mutual)
    {
        await using var server = await ChaincodeServer.StartAsync(Options(mutual, tls), new ContractRouter(new KvccContract()));
        using var channel = Dial(server, tls, mutual ? _tls.Client : null);
        await using var call = channel.Duplex(ChaincodeMethods.Connect, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
        await using var fromChaincode = call.Responses.GetAsyncEnumerator();

        async Task<ChaincodeMessage> NextAsync()
        {
            Assert.True(await fromChaincode.MoveNextAsync(), "The chaincode closed the stream.");
            return fromChaincode.Current;
        }

        var register = await NextAsync();
        Assert.Equal(MessageType.Register, register.Type);
        Assert.Equal("kvcc_1.0:fbebda68", ChaincodeID.Parser.ParseFrom(register.Payload).Name);
        await call.WriteAsync(new ChaincodeMessage { Type = MessageType.Registered });
        await call.WriteAsync(new ChaincodeMessage { Type = MessageType.Ready });

        await call.WriteAsync(ScriptedPeer.Transaction("tx-1", "mychannel", TestProposals.Simple(), "put", "asset1", "v1"));
        var put = await NextAsync();
        Assert.Equal((MessageType.PutState, "tx-1", "mychannel"), (put.Type, put.Txid, put.ChannelId));
        Assert.Equal(("asset1", "v1"), (PutState.Parser.ParseFrom(put.Payload).Key, PutState.Parser.ParseFrom(put.Payload).Value.ToStringUtf8()));
        await call.WriteAsync(ScriptedPeer.Answer(put));

        var completed = await NextAsync();
        Assert.Equal(MessageType.Completed, completed.Type);
        var response = Response.Parser.ParseFrom(completed.Payload);
        Assert.Equal(200, response.Status);
        Assert.Equal("""{"key":"asset1","value":"v1","txId":"tx-1"}""", response.Payload.ToStringUtf8());
        Assert.Equal("Put", completed.ChaincodeEvent.EventName);

        await call.CompleteAsync();
        Assert.False(await fromChaincode.MoveNextAsync()); // the server ends the call when the peer half-closes
    }

    [Fact]
    public async Task With_mutual_TLS_a_peer_without_a_client_certificate_is_refused()
    {
        await using var server = await ChaincodeServer.StartAsync(Options(mutual: true), new ContractRouter(new KvccContract()));
        using var channel = Dial(server, tls: true, clientCertificate: null);
        await using var call = channel.Duplex(ChaincodeMethods.Connect, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in call.Responses) { }
        });
        Assert.IsType<RpcException>(refused);
        Assert.Equal(StatusCode.Unavailable, ((RpcException)refused).StatusCode);
    }

    [Theory]
    [InlineData(null, "x", "CHAINCODE_SERVER_ADDRESS")]
    [InlineData("127.0.0.1:9999", null, "CHAINCODE_ID")]
    [InlineData("nonsense", "x", "not host:port")]
    public void Missing_or_malformed_settings_are_named(string? address, string? id, string expected)
    {
        var settings = new Dictionary<string, string?> { ["CHAINCODE_SERVER_ADDRESS"] = address, ["CHAINCODE_ID"] = id, ["CHAINCODE_TLS_DISABLED"] = "true" };
        var error = Assert.Throws<InvalidOperationException>(() => ChaincodeServerOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TLS_is_on_by_default_and_then_needs_a_certificate_and_key()
    {
        var settings = new Dictionary<string, string?> { ["CHAINCODE_SERVER_ADDRESS"] = "0.0.0.0:9999", ["CHAINCODE_ID"] = "cc:1" };
        var error = Assert.Throws<InvalidOperationException>(() => ChaincodeServerOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        Assert.Contains("CHAINCODE_TLS_CERT", error.Message);
    }
}
