using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests;

/// <summary>TLS with roots given by the caller (a Fabric TLS CA), name override, and mutual TLS.</summary>
public sealed class TlsTests
{
    private static readonly TestPki Pki = TestPki.Create();

    [Fact]
    public async Task Tls_call_succeeds_with_the_servers_ca_as_trusted_root()
    {
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = Pki.Server });
        using var channel = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = Pki.Roots });

        var reply = await channel.UnaryAsync(EchoService.Unary, EchoService.Message("tls"));
        var streamed = await channel.ServerStreaming(EchoService.ServerStream, EchoService.Message("s", count: 3)).ToListAsync();

        Assert.Equal("tls", reply.Txid);
        Assert.Equal(3, streamed.Count);
        Assert.Equal("", reply.Proposal.ProposalBytes.ToStringUtf8()); // no client certificate on plain TLS
    }

    [Fact]
    public async Task Tls_duplex_works()
    {
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = Pki.Server });
        using var channel = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = Pki.Roots });
        await using var call = channel.Duplex(EchoService.Duplex);

        await call.WriteAsync(EchoService.Message("a"));
        await call.WriteAsync(EchoService.Message("b"));
        await call.CompleteAsync();

        Assert.Equal(["a", "b"], await call.Responses.Select(m => m.Txid).ToListAsync());
    }

    [Fact]
    public async Task Tls_call_fails_when_the_server_chains_to_another_root()
    {
        var other = TestPki.Create("Another CA");
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = Pki.Server });
        using var channel = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = other.Roots });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Server_name_override_checks_the_certificate_against_that_name()
    {
        var peerPki = TestPki.Create(serverDns: "peer0.org1.example.com");
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = peerPki.Server });

        using var withOverride = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = peerPki.Roots, ServerNameOverride = "peer0.org1.example.com" }, host: "localhost");
        var reply = await withOverride.UnaryAsync(EchoService.Unary, EchoService.Message("named"));
        Assert.Equal("named", reply.Txid);

        using var wrongName = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = peerPki.Roots, ServerNameOverride = "peer1.org1.example.com" }, host: "localhost");
        var error = await Assert.ThrowsAsync<RpcException>(() => wrongName.UnaryAsync(EchoService.Unary, EchoService.Message("x")));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Mutual_tls_gives_the_handler_the_client_certificate()
    {
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = Pki.Server, ClientCertificateRoots = Pki.Roots });
        using var channel = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = Pki.Roots, ClientCertificate = Pki.Client });

        var reply = await channel.UnaryAsync(EchoService.Unary, EchoService.Message("mtls"));
        await using var call = channel.Duplex(EchoService.Duplex);
        await call.WriteAsync(EchoService.Message("d"));
        await call.CompleteAsync();
        var echoed = await call.Responses.SingleAsync();

        Assert.Equal("CN=client.test", reply.Proposal.ProposalBytes.ToStringUtf8());
        Assert.Equal("CN=client.test", echoed.Proposal.ProposalBytes.ToStringUtf8());
    }

    [Fact]
    public async Task Mutual_tls_rejects_a_client_without_a_certificate()
    {
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = Pki.Server, ClientCertificateRoots = Pki.Roots });
        using var channel = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = Pki.Roots });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Mutual_tls_rejects_a_client_certificate_from_another_ca()
    {
        var other = TestPki.Create("Another CA");
        await using var server = await Loopback.StartAsync(new GrpcServerOptions { ServerCertificate = Pki.Server, ClientCertificateRoots = Pki.Roots });
        using var channel = Loopback.Tls(server, new FabricChannelOptions { TrustedRoots = Pki.Roots, ClientCertificate = other.Client });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unary, EchoService.Message("x")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
