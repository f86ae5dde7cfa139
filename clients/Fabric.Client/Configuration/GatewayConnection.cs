using System.Security.Cryptography;
using Grpc.Core;
using Fabric.Grpc.Client;
using Grpc.Net.Client;
using Fabric.Protocol.Identity;

namespace Fabric.Client.Configuration;

/// <summary>
/// A <see cref="Gateway"/> together with the gRPC channel and signer it owns, opened from <see cref="GatewaySettings"/>.
/// Dispose it to close the connection.
/// </summary>
/// <example><code>
/// using var connection = GatewayConnection.Open(GatewaySettings.Load("gateway.yaml"));
/// var contract = connection.Gateway.GetNetwork(connection.Settings.Channel!).GetContract("cashtransfer");
/// </code></example>
public sealed class GatewayConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly EcdsaSigner _signer;

    private GatewayConnection(GatewaySettings settings, GrpcChannel channel, EcdsaSigner signer, Gateway gateway)
    {
        Settings = settings;
        _channel = channel;
        _signer = signer;
        Gateway = gateway;
    }

    public GatewaySettings Settings { get; }
    public Gateway Gateway { get; }

    /// <summary>Loads the identity and key, creates the channel (nothing connects until the first call) and the gateway.</summary>
    public static GatewayConnection Open(GatewaySettings settings, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var identity = settings.LoadIdentity();
        var signer = settings.LoadSigner();
        var channelOptions = settings.ToChannelOptions();
        options ??= new GatewayOptions();
        // With mutual TLS the peer checks that block-event requests name the TLS client certificate.
        if (channelOptions.ClientCertificate is { } clientCertificate && options.TlsClientCertificateHash is null)
            options.TlsClientCertificateHash = SHA256.HashData(clientCertificate.RawData);
        var channel = FabricChannel.Create(new Uri(settings.PeerEndpoint), channelOptions);
        return new GatewayConnection(settings, channel, signer, Gateway.Connect(channel, identity, signer, options));
    }

    public void Dispose()
    {
        _channel.Dispose();
        _signer.Dispose();
    }
}
