using Fabric.Grpc.Tls;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Fabric.Grpc.Server;

/// <summary>
/// Kestrel for gRPC: HTTP/2 only (plain-text HTTP/2 needs it), no body size or data-rate limits (streams
/// may idle for minutes), many streams per connection, TLS with optional client certificates.
/// </summary>
internal static class KestrelSetup
{
    public static void Configure(KestrelServerOptions kestrel, GrpcServerOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        // Idle connections stay open like a Fabric peer's. Not InfiniteTimeSpan: Kestrel's HTTP/2 idle timer
        // reads it as already expired and sends GOAWAY on its next heartbeat.
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromDays(1);
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        kestrel.Listen(options.Address, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.ServerCertificate is { } certificate)
                listen.UseHttps(https => ConfigureTls(https, certificate, options));
        });
    }

    private static void ConfigureTls(HttpsConnectionAdapterOptions https, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, GrpcServerOptions options)
    {
        https.ServerCertificate = certificate;
        https.CheckCertificateRevocation = false;
        if (options.ClientCertificateRoots is { } roots)
        {
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (client, chain, _) => CertificateChainValidator.ChainsToRoots(client, roots, chain);
        }
    }
}
