using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;

namespace Fabric.Network.Membership;

/// <summary>Why an identity was refused.</summary>
public sealed class IdentityException(string message) : Exception(message);

/// <summary>
/// The channel's MSPs: for each MSP id the root CA its members' certificates must chain to. Validates a
/// serialized creator as Fabric's MSP does (known MSP, certificate chains to the CA and is in its validity
/// period, exactly one NodeOU role) and caches the outcome per creator bytes, up to a bound: a member can send its
/// identity in endless byte variants (unknown protobuf fields), and each would otherwise stay cached for the peer's life.
/// </summary>
public sealed class MembershipService
{
    /// <summary>The most identities kept validated; beyond it, identities are validated on each use.</summary>
    public const int DefaultCacheLimit = 10_000;

    private readonly Dictionary<string, X509Certificate2> _roots;
    // Keyed by the serialized identity's bytes, looked up by span: a lookup is made for every signature checked.
    private readonly ConcurrentDictionary<byte[], ValidatedIdentity> _cache = new(ByteContentComparer.Instance);
    private readonly int _cacheLimit;
    private readonly SignatureMemo _signatures = new();

    public MembershipService(IReadOnlyDictionary<string, X509Certificate2> rootsByMspId, int cacheLimit = DefaultCacheLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cacheLimit);
        _roots = new Dictionary<string, X509Certificate2>(rootsByMspId);
        _cacheLimit = cacheLimit;
    }

    /// <summary>How many identities are cached now.</summary>
    internal int CachedIdentities => _cache.Count;

    public IReadOnlyCollection<string> MspIds => _roots.Keys;

    /// <summary>The checks answered from the signature memo so far (for tests).</summary>
    internal long ReusedSignatureChecks => _signatures.ReusedChecks;

    /// <summary>
    /// Verifies a Fabric signature (SHA-256, DER, low-S) by a validated member. Each node of the embedded network checks
    /// through here, so a signature that several nodes check is computed once (<see cref="SignatureMemo"/>).
    /// </summary>
    public bool Verify(ValidatedIdentity signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _signatures.Verify(signer, message, signature);

    /// <summary>Parses and validates a serialized <c>msp.SerializedIdentity</c>; throws <see cref="IdentityException"/>.</summary>
    public ValidatedIdentity Validate(ReadOnlySpan<byte> serializedIdentity)
    {
        var byBytes = _cache.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (byBytes.TryGetValue(serializedIdentity, out var cached)) return cached;

        X509Identity identity;
        try
        {
            identity = X509Identity.FromSerializedIdentity(serializedIdentity);
        }
        catch (FormatException e)
        {
            throw new IdentityException(e.Message);
        }
        if (!_roots.TryGetValue(identity.MspId, out var root))
            throw new IdentityException($"MSP {identity.MspId} is not defined on channel");
        if (!ChainsTo(identity.Certificate, root))
            throw new IdentityException($"the supplied identity is not valid: x509: certificate signed by unknown authority (MSP {identity.MspId})");
        var role = RoleOf(identity.Certificate);
        var validated = new ValidatedIdentity(identity, role, serializedIdentity.ToArray());
        if (_cache.Count < _cacheLimit) _cache.TryAdd(validated.SerializedIdentity, validated);
        return validated;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        try
        {
            if (!chain.Build(certificate)) return false;
        }
        catch (CryptographicException)
        {
            // OpenSSL refuses some malformed certificates with "x509 certificate routines::internal error" instead of a
            // failed chain (found by the fuzzer): such a certificate chains to nothing.
            return false;
        }
        var top = chain.ChainElements[^1].Certificate;
        return top.RawData.AsSpan().SequenceEqual(root.RawData);
    }

    private static NodeRole RoleOf(X509Certificate2 certificate)
    {
        var units = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.11")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .ToList();
        var roles = new List<NodeRole>();
        foreach (var ou in units)
        {
            switch (ou)
            {
                case "client": roles.Add(NodeRole.Client); break;
                case "peer": roles.Add(NodeRole.Peer); break;
                case "admin": roles.Add(NodeRole.Admin); break;
                case "orderer": roles.Add(NodeRole.Orderer); break;
            }
        }
        return roles.Count == 1
            ? roles[0]
            : throw new IdentityException($"the identity must carry exactly one NodeOU (client, peer, admin or orderer); it has {roles.Count}");
    }
}
