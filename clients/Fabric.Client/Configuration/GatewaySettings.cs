using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Msp;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Fabric.Client.Configuration;

/// <summary>
/// How to reach one Gateway peer and who connects: read from a JSON or YAML file. Relative paths are resolved
/// against the file's folder. The identity comes either from <see cref="MspPath"/> (an MSP folder) or from
/// <see cref="CertificatePath"/> and <see cref="PrivateKeyPath"/>.
/// </summary>
/// <example>
/// gateway.yaml:
/// <code>
/// peerEndpoint: https://localhost:7051
/// serverNameOverride: peer0.org1.example.com
/// tlsCaCertPath: crypto/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/ca.crt
/// mspId: Org1MSP
/// mspPath: crypto/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp
/// channel: mychannel
/// </code>
/// </example>
public sealed class GatewaySettings
{
    /// <summary>The peer's Gateway address: <c>https://host:port</c> for TLS, <c>http://host:port</c> for h2c.</summary>
    public string PeerEndpoint { get; set; } = "";

    /// <summary>PEM file of the TLS CA that issued the peer's TLS certificate; the system roots when absent.</summary>
    public string? TlsCaCertPath { get; set; }

    /// <summary>Host name to check in the peer's TLS certificate when it differs from the endpoint's.</summary>
    public string? ServerNameOverride { get; set; }

    /// <summary>Mutual TLS: the client's TLS certificate and key (PEM).</summary>
    public string? TlsClientCertPath { get; set; }
    public string? TlsClientKeyPath { get; set; }

    public string MspId { get; set; } = "";
    public string? MspPath { get; set; }
    public string? CertificatePath { get; set; }
    public string? PrivateKeyPath { get; set; }

    /// <summary>Default channel for tools that need one.</summary>
    public string? Channel { get; set; }

    /// <summary>Loads settings from a <c>.json</c>, <c>.yaml</c> or <c>.yml</c> file and resolves its relative paths.</summary>
    /// <exception cref="InvalidDataException">The file cannot be parsed or lacks a required setting.</exception>
    public static GatewaySettings Load(string path)
    {
        var full = Path.GetFullPath(path);
        var text = File.ReadAllText(full);
        GatewaySettings? settings;
        try
        {
            settings = Path.GetExtension(full).ToLowerInvariant() switch
            {
                ".json" => JsonSerializer.Deserialize<GatewaySettings>(text, JsonOptions),
                ".yaml" or ".yml" => new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<GatewaySettings>(text),
                var other => throw new InvalidDataException($"Unknown settings format '{other}' ({full}): use .json, .yaml or .yml."),
            };
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new InvalidDataException($"Cannot read gateway settings from {full}: {e.Message}", e);
        }
        if (settings is null) throw new InvalidDataException($"The gateway settings file {full} is empty.");
        settings.ResolvePaths(Path.GetDirectoryName(full)!);
        settings.Validate(full);
        return settings;
    }

    /// <summary>The client identity, from the certificate path or the MSP folder's signcerts.</summary>
    public X509Identity LoadIdentity() =>
        CertificatePath is not null
            ? new X509Identity(MspId, File.ReadAllText(CertificatePath))
            : LoadMsp().Identity ?? throw new InvalidDataException($"The MSP folder {MspPath} has no signing certificate in signcerts/.");

    /// <summary>An ECDSA signer for the identity's private key (from the MSP folder: the keystore key that matches the certificate).</summary>
    public EcdsaSigner LoadSigner() =>
        PrivateKeyPath is not null
            ? EcdsaSigner.FromPem(File.ReadAllText(PrivateKeyPath))
            : LoadMsp().Signer ?? throw new InvalidDataException($"The MSP folder {MspPath} has no private key in keystore/.");

    // Fabric.Protocol's loader reads the cryptogen / Fabric CA layout and picks the keystore key that matches signcerts.
    private MspFolder LoadMsp() => MspFolder.Load(MspPath!, MspId);

    /// <summary>gRPC channel options: TLS roots, server name override and the mutual-TLS client certificate.</summary>
    public FabricChannelOptions ToChannelOptions()
    {
        var options = new FabricChannelOptions { ServerNameOverride = ServerNameOverride };
        if (TlsCaCertPath is not null)
        {
            options.TrustedRoots = new X509Certificate2Collection();
            options.TrustedRoots.ImportFromPemFile(TlsCaCertPath);
        }
        if (TlsClientCertPath is not null && TlsClientKeyPath is not null)
            options.ClientCertificate = X509Certificate2.CreateFromPemFile(TlsClientCertPath, TlsClientKeyPath);
        return options;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private void ResolvePaths(string baseFolder)
    {
        string? Resolve(string? p) => p is null ? null : Path.GetFullPath(p, baseFolder);
        TlsCaCertPath = Resolve(TlsCaCertPath);
        TlsClientCertPath = Resolve(TlsClientCertPath);
        TlsClientKeyPath = Resolve(TlsClientKeyPath);
        MspPath = Resolve(MspPath);
        CertificatePath = Resolve(CertificatePath);
        PrivateKeyPath = Resolve(PrivateKeyPath);
    }

    private void Validate(string file)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(PeerEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            problems.Add("peerEndpoint must be an absolute http:// or https:// address");
        if (string.IsNullOrWhiteSpace(MspId)) problems.Add("mspId is required");
        if (MspPath is null && (CertificatePath is null || PrivateKeyPath is null))
            problems.Add("give mspPath, or both certificatePath and privateKeyPath");
        if ((TlsClientCertPath is null) != (TlsClientKeyPath is null))
            problems.Add("tlsClientCertPath and tlsClientKeyPath go together");
        if (problems.Count > 0)
            throw new InvalidDataException($"Gateway settings in {file}: {string.Join("; ", problems)}.");
    }
}
