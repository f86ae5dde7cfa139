using Fabric.Grpc.Client;
using Fabric.Grpc.Server;
using Grpc.Net.Client;

namespace Fabric.Grpc.Tests.Support;

/// <summary>A C# server on 127.0.0.1 with an ephemeral port and the channel options to reach it.</summary>
public static class Loopback
{
    public static Task<GrpcServer> StartAsync(GrpcServerOptions? options = null) =>
        GrpcServer.StartAsync(options ?? new GrpcServerOptions(), EchoService.Definition());

    public static GrpcChannel H2c(GrpcServer server, FabricChannelOptions? options = null) =>
        FabricChannel.Create(new Uri($"http://127.0.0.1:{server.Port}"), options);

    public static GrpcChannel Tls(GrpcServer server, FabricChannelOptions options, string host = "127.0.0.1") =>
        FabricChannel.Create(new Uri($"https://{host}:{server.Port}"), options);
}
