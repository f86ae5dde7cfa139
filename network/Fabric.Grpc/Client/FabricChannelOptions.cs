using System.Security.Cryptography.X509Certificates;

namespace Fabric.Grpc.Client;

/// <summary>What a channel to a Fabric node needs beyond Grpc.Net.Client's defaults (see <see cref="FabricChannel"/>).</summary>
public sealed class FabricChannelOptions
{
    /// <summary>Roots that the server's TLS certificate must chain to (a Fabric TLS CA). The system store when null.</summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>The host name to check in the server certificate when it differs from the address (e.g. peer0.org1.example.com).</summary>
    public string? ServerNameOverride { get; set; }

    /// <summary>Mutual TLS: the client certificate with its private key.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Largest message accepted; Fabric's nodes default to <see cref="FabricMessageSize.Default"/>, and so does this.</summary>
    public int MaxReceiveMessageSize { get; set; } = FabricMessageSize.Default;
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>HTTP/2 keepalive ping interval; null turns pings off. Never below <see cref="MinimumKeepAliveInterval"/>.</summary>
    public TimeSpan? KeepAliveInterval { get; set; }
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The server's minimum ping interval: pinging faster gets a GOAWAY (Fabric peers enforce 60 s by default).</summary>
    public TimeSpan MinimumKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
