using Grpc.Net.Client;

namespace Fabric.Grpc.Client;

/// <summary>
/// Creates a Grpc.Net.Client <see cref="GrpcChannel"/> set up for a Fabric node: its TLS roots and server name,
/// the client certificate for mutual TLS, keepalive, message size limits.
/// </summary>
/// <example><code>
/// using var channel = FabricChannel.Create(new Uri("https://localhost:7051"),
///     new FabricChannelOptions { TrustedRoots = tlsRoots, ServerNameOverride = "peer0.org1.example.com" });
/// var gateway = Gateway.Connect(channel, identity, signer);
/// </code></example>
public static class FabricChannel
{
    /// <summary>Creates a channel; nothing connects until the first call.</summary>
    /// <exception cref="ArgumentException">The scheme is not http/https, or the keepalive interval is below the minimum.</exception>
    public static GrpcChannel Create(Uri address, FabricChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"A gRPC address is http:// (h2c) or https:// (TLS), not '{address}'", nameof(address));
        options ??= new FabricChannelOptions();
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new HandshakeFailureHandler(ChannelHandlerFactory.Create(address, options)),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
        });
    }
}
