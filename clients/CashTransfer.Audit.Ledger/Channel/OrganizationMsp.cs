using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Msp;
using Google.Protobuf;

namespace CashTransfer.Audit.Ledger.Channel;

/// <summary>
/// One organisation's MSP as the channel configuration defines it (<c>msp.FabricMSPConfig</c>): root and intermediate
/// CA certificates, admin certificates and NodeOUs. Validates identities as Fabric's MSP does: the certificate chains
/// to a root, and with NodeOUs on it must carry one of the role OUs.
/// </summary>
public sealed class OrganizationMsp
{
    private OrganizationMsp(string mspId, X509Certificate2[] roots, X509Certificate2[] intermediates, byte[][] admins, NodeOuConfiguration nodeOus)
    {
        MspId = mspId;
        Roots = roots;
        Intermediates = intermediates;
        _admins = admins;
        NodeOus = nodeOus;
    }

    private readonly byte[][] _admins;

    public string MspId { get; }
    public IReadOnlyList<X509Certificate2> Roots { get; }
    public IReadOnlyList<X509Certificate2> Intermediates { get; }
    public NodeOuConfiguration NodeOus { get; }

    public static OrganizationMsp FromConfig(Msp.MSPConfig config)
    {
        if (config.Type != 0) throw new FormatException($"MSP type {config.Type} is not supported (only X.509 MSPs, type 0).");
        var fabric = Msp.FabricMSPConfig.Parser.ParseFrom(config.Config);
        var ous = fabric.FabricNodeOus;
        var nodeOus = ous is null || !ous.Enable ? NodeOuConfiguration.Disabled
            : new NodeOuConfiguration(true, Ou(ous.ClientOuIdentifier), Ou(ous.PeerOuIdentifier), Ou(ous.AdminOuIdentifier), Ou(ous.OrdererOuIdentifier));
        return new OrganizationMsp(fabric.Name, Certificates(fabric.RootCerts), Certificates(fabric.IntermediateCerts),
            fabric.Admins.Select(a => X509Certificate2.CreateFromPem(a.ToStringUtf8()).RawData).ToArray(), nodeOus);
    }

    /// <summary>The member, or the reason the MSP refuses the identity.</summary>
    public (ChannelMember? Member, string? Error) Validate(X509Identity identity)
    {
        var chain = CertificateChain.Validate(identity.Certificate, Roots, Intermediates);
        if (!chain.IsValid) return (null, chain.Error);
        var role = NodeOus.RoleOf(identity.Certificate);
        if (NodeOus.Enabled && role is null) return (null, $"certificate '{identity.Certificate.Subject}' has none of the MSP's NodeOU roles");
        var isAdmin = role == NodeOuRole.Admin || _admins.Any(a => a.AsSpan().SequenceEqual(identity.Certificate.RawData));
        return (new ChannelMember(MspId, identity, role, isAdmin), null);
    }

    private static NodeOuIdentifier? Ou(Msp.FabricOUIdentifier? identifier) =>
        identifier is null ? null
            : new NodeOuIdentifier(identifier.OrganizationalUnitIdentifier,
                identifier.Certificate.IsEmpty ? null : X509Certificate2.CreateFromPem(identifier.Certificate.ToStringUtf8()));

    private static X509Certificate2[] Certificates(IEnumerable<ByteString> pems) =>
        pems.Select(p => X509Certificate2.CreateFromPem(p.ToStringUtf8())).ToArray();
}
