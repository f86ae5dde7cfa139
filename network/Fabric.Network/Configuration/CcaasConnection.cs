using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Network.Configuration;

/// <summary>
/// The connection.json of a chaincode-as-a-service package, as Fabric's external builder reads it: where the
/// peer dials the chaincode server, whether TLS is required (with the server's root CA), and whether the server
/// requires a client certificate (the peer then presents client_cert/client_key). Certificates and keys are PEM
/// text inline, as in Fabric's file. dial_timeout bounds the peer's dial of the server (a Go duration such as "10s",
/// or nanoseconds); Fabric's peer uses 3 s when it is absent or zero.
/// </summary>
public sealed class CcaasConnection
{
    /// <summary>The dial timeout Fabric's peer uses when connection.json sets none.</summary>
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(3);

    [JsonPropertyName("address")] public string Address { get; set; } = "";
    [JsonPropertyName("dial_timeout"), JsonConverter(typeof(GoDuration.JsonConverter))] public TimeSpan? DialTimeout { get; set; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; set; }
    [JsonPropertyName("client_auth_required")] public bool ClientAuthRequired { get; set; }
    [JsonPropertyName("root_cert")] public string? RootCert { get; set; }
    [JsonPropertyName("client_cert")] public string? ClientCert { get; set; }
    [JsonPropertyName("client_key")] public string? ClientKey { get; set; }

    /// <summary>Reads and checks a connection.json; throws <see cref="InvalidDataException"/> naming the file and what is wrong.</summary>
    public static CcaasConnection Load(string path)
    {
        CcaasConnection? connection;
        try
        {
            connection = JsonSerializer.Deserialize<CcaasConnection>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new InvalidDataException($"{path}: not a readable connection.json: {e.Message}", e);
        }
        if (connection is null || string.IsNullOrWhiteSpace(connection.Address))
            throw new InvalidDataException($"{path}: connection.json needs an address (host:port of the chaincode server).");
        if (connection.TlsRequired && string.IsNullOrWhiteSpace(connection.RootCert))
            throw new InvalidDataException($"{path}: tls_required needs root_cert (the chaincode server's TLS root CA, PEM).");
        if (connection.ClientAuthRequired && (!connection.TlsRequired || string.IsNullOrWhiteSpace(connection.ClientCert) || string.IsNullOrWhiteSpace(connection.ClientKey)))
            throw new InvalidDataException($"{path}: client_auth_required needs tls_required, client_cert and client_key (PEM).");
        if (connection.DialTimeout < TimeSpan.Zero)
            throw new InvalidDataException($"{path}: dial_timeout must not be negative.");
        return connection;
    }

    /// <summary>How long the peer waits for a connection (TCP and TLS) to the chaincode server.</summary>
    public TimeSpan EffectiveDialTimeout => DialTimeout is { } timeout && timeout > TimeSpan.Zero ? timeout : DefaultDialTimeout;

    public X509Certificate2Collection? TrustedRoots()
    {
        if (!TlsRequired) return null;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(RootCert!);
        return roots;
    }

    public X509Certificate2? ClientCertificate() =>
        ClientAuthRequired ? X509Certificate2.CreateFromPem(ClientCert!, ClientKey!) : null;
}
