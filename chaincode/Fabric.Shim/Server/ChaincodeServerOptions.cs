using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Fabric.Shim.Server;

/// <summary>
/// How a chaincode server listens, configured like Fabric's official shims: <c>CHAINCODE_SERVER_ADDRESS</c>
/// (host:port), <c>CHAINCODE_ID</c> (the package id the peer knows), and TLS from files:
/// <c>CHAINCODE_TLS_CERT</c>, <c>CHAINCODE_TLS_KEY</c>, and <c>CHAINCODE_CLIENT_CA_CERT</c> for mutual TLS.
/// TLS is on unless <c>CHAINCODE_TLS_DISABLED=true</c>.
/// </summary>
public sealed class ChaincodeServerOptions
{
    public const string AddressVariable = "CHAINCODE_SERVER_ADDRESS";
    public const string ChaincodeIdVariable = "CHAINCODE_ID";
    public const string TlsDisabledVariable = "CHAINCODE_TLS_DISABLED";
    public const string TlsCertVariable = "CHAINCODE_TLS_CERT";
    public const string TlsKeyVariable = "CHAINCODE_TLS_KEY";
    public const string ClientCaCertVariable = "CHAINCODE_CLIENT_CA_CERT";

    /// <summary>host:port to listen on, e.g. <c>0.0.0.0:9999</c>; port 0 picks a free port.</summary>
    public required string Address { get; init; }

    /// <summary>The chaincode package id (label:hash), sent in REGISTER.</summary>
    public required string ChaincodeId { get; init; }

    public bool TlsDisabled { get; init; }
    public string? TlsCertFile { get; init; }
    public string? TlsKeyFile { get; init; }

    /// <summary>When set, peers must present a client certificate issued by one of these CAs (mutual TLS).</summary>
    public string? ClientCaCertFile { get; init; }

    /// <summary>Reads the CHAINCODE_* settings (environment variables, or <c>--CHAINCODE_ID=...</c> arguments).</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing or malformed; the message names it.</exception>
    public static ChaincodeServerOptions FromConfiguration(IConfiguration configuration)
    {
        string? Value(string name) => string.IsNullOrWhiteSpace(configuration[name]) ? null : configuration[name]!.Trim();
        var tlsDisabled = Value(TlsDisabledVariable) switch
        {
            null => false,
            var text when bool.TryParse(text, out var flag) => flag,
            _ => throw new InvalidOperationException($"{TlsDisabledVariable} must be true or false."),
        };
        var options = new ChaincodeServerOptions
        {
            Address = Value(AddressVariable) ?? throw new InvalidOperationException($"{AddressVariable} is not set: give the host:port the chaincode server listens on, e.g. 0.0.0.0:9999."),
            ChaincodeId = Value(ChaincodeIdVariable) ?? throw new InvalidOperationException($"{ChaincodeIdVariable} is not set: give the package id the peer installed (label:hash)."),
            TlsDisabled = tlsDisabled,
            TlsCertFile = Value(TlsCertVariable),
            TlsKeyFile = Value(TlsKeyVariable),
            ClientCaCertFile = Value(ClientCaCertVariable),
        };
        options.Validate();
        return options;
    }

    /// <exception cref="InvalidOperationException">The settings cannot work together.</exception>
    public void Validate()
    {
        ParseAddress();
        if (!TlsDisabled && (TlsCertFile is null || TlsKeyFile is null))
            throw new InvalidOperationException($"TLS is on: set {TlsCertVariable} and {TlsKeyVariable} to PEM files (or {TlsDisabledVariable}=true for a plain-text development server).");
    }

    internal (IPAddress Address, int Port) ParseAddress()
    {
        var colon = Address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(Address[(colon + 1)..], out var port) || port is < 0 or > 65535)
            throw new InvalidOperationException($"{AddressVariable} '{Address}' is not host:port.");
        var host = Address[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) return (ip, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return (IPAddress.Loopback, port);
        var resolved = Dns.GetHostAddresses(host);
        return resolved.Length > 0 ? (resolved[0], port) : throw new InvalidOperationException($"{AddressVariable} host '{host}' does not resolve.");
    }

    internal X509Certificate2? LoadServerCertificate()
    {
        if (TlsDisabled) return null;
        try
        {
            return X509Certificate2.CreateFromPemFile(TlsCertFile!, TlsKeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Cannot load the TLS certificate {TlsCertFile} with key {TlsKeyFile}: {e.Message}", e);
        }
    }

    internal X509Certificate2Collection? LoadClientRoots()
    {
        if (TlsDisabled || ClientCaCertFile is null) return null;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(ClientCaCertFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"Cannot load the client CA certificates {ClientCaCertFile}: {e.Message}", e);
        }
        return roots.Count > 0 ? roots : throw new InvalidOperationException($"{ClientCaCertFile} holds no PEM certificate.");
    }
}
