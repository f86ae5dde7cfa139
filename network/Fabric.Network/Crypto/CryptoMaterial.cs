using Fabric.Network.Configuration;

namespace Fabric.Network.Crypto;

/// <summary>
/// All organisations' crypto material under one folder, in the layout cryptogen writes
/// (<c>peerOrganizations/&lt;domain&gt;</c>, <c>ordererOrganizations/&lt;domain&gt;</c>). Generated on first
/// start, reused afterwards, so clients load it exactly as they load a real network's.
/// </summary>
public sealed class CryptoMaterial
{
    private CryptoMaterial(string root, IReadOnlyList<OrganizationMaterial> peers, OrganizationMaterial orderer)
    {
        Root = root;
        PeerOrganizations = peers;
        Orderer = orderer;
    }

    public string Root { get; }
    public IReadOnlyList<OrganizationMaterial> PeerOrganizations { get; }
    public OrganizationMaterial Orderer { get; }

    public OrganizationMaterial PeerOrganization(string mspId) =>
        PeerOrganizations.FirstOrDefault(o => o.MspId == mspId)
        ?? throw new KeyNotFoundException($"no peer organisation with MSP id '{mspId}'.");

    /// <summary>Loads the material under <paramref name="root"/>, writing what is missing first.</summary>
    public static CryptoMaterial LoadOrCreate(string root, NetworkDefinition definition)
    {
        var peers = new List<OrganizationMaterial>();
        foreach (var org in definition.Organizations)
        {
            var dir = Path.Combine(root, "peerOrganizations", org.Domain);
            if (!CryptogenLayoutWriter.IsComplete(dir, org)) CryptogenLayoutWriter.WriteOrganization(dir, org, isOrderer: false);
            peers.Add(new OrganizationMaterial(org, dir, isOrderer: false));
        }
        var ordererDir = Path.Combine(root, "ordererOrganizations", definition.Orderer.Domain);
        if (!CryptogenLayoutWriter.IsComplete(ordererDir, definition.Orderer)) CryptogenLayoutWriter.WriteOrganization(ordererDir, definition.Orderer, isOrderer: true);
        return new CryptoMaterial(root, peers, new OrganizationMaterial(definition.Orderer, ordererDir, isOrderer: true));
    }
}
