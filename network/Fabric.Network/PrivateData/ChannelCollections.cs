using Fabric.Network.Configuration;
using Fabric.Network.Policies;

namespace Fabric.Network.PrivateData;

/// <summary>Every chaincode's private data collections on the channel, by chaincode and collection name.</summary>
public sealed class ChannelCollections
{
    private readonly Dictionary<(string Chaincode, string Collection), PrivateCollection> _collections = new();

    public static readonly ChannelCollections None = new([]);

    public ChannelCollections(IEnumerable<PrivateCollection> collections)
    {
        foreach (var c in collections) _collections[(c.Chaincode, c.Name)] = c;
    }

    public static ChannelCollections From(IEnumerable<ChaincodeDefinition> chaincodes, ChannelPolicies policies) =>
        new(chaincodes.SelectMany(cc => cc.Collections.Select(c => PrivateCollection.From(cc.Name, c, policies))));

    public IEnumerable<PrivateCollection> All => _collections.Values;

    public PrivateCollection? Find(string chaincode, string collection) => _collections.GetValueOrDefault((chaincode, collection));
}
