using System.Net;
using System.Net.Security;
using Fabric.Grpc.Tls;

namespace Fabric.Grpc.Client;

/// <summary>
/// The SocketsHttpHandler under a Grpc.Net.Client channel: HTTP/2 only, several connections when one is full of streams,
/// TLS checked against the channel's roots and name, keepalive pings never faster than the server allows.
/// </summary>
internal static class ChannelHandlerFactory
{
    public static SocketsHttpHandler Create(Uri address, FabricChannelOptions options)
    {
        ValidateKeepAlive(options);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ActivityHeadersPropagator = null,
        };
        if (options.KeepAliveInterval is { } interval)
        {
            handler.KeepAlivePingDelay = interval;
            handler.KeepAlivePingTimeout = options.KeepAliveTimeout;
            handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
        }
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            var host = options.ServerNameOverride ?? address.IdnHost;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                RemoteCertificateValidationCallback = new ServerCertificateValidator(options.TrustedRoots, host).Validate,
                ClientCertificateContext = options.ClientCertificate is null ? null : SslStreamCertificateContext.Create(options.ClientCertificate, null),
            };
        }
        return handler;
    }

    private static void ValidateKeepAlive(FabricChannelOptions options)
    {
        if (options.KeepAliveInterval is not { } interval) return;
        if (interval < options.MinimumKeepAliveInterval)
            throw new ArgumentException(
                $"KeepAliveInterval {interval} is below the server's minimum ping interval {options.MinimumKeepAliveInterval}; the server would close the connection (GOAWAY too_many_pings)",
                nameof(options));
        if (interval < TimeSpan.FromSeconds(1))
            throw new ArgumentException($"KeepAliveInterval {interval} is below one second, the shortest HTTP/2 ping delay .NET allows", nameof(options));
        if (options.KeepAliveTimeout <= TimeSpan.Zero)
            throw new ArgumentException("KeepAliveTimeout must be positive", nameof(options));
    }
}
