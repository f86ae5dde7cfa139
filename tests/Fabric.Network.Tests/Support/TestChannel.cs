using Fabric.Network.Configuration;
using Fabric.Network.Crypto;
using Fabric.Network.Membership;
using Fabric.Network.Policies;
using Fabric.Network.Validation;

namespace Fabric.Network.Tests.Support;

/// <summary>
/// Crypto material for the default three agencies (written once per test run: generating keys is the slow
/// part) and the channel context built from it.
/// </summary>
public sealed class TestChannel : IDisposable
{
    private static readonly Lazy<TestChannel> Shared = new(() => new TestChannel());
    private readonly TempDirectory _directory = new();

    private TestChannel()
    {
        Definition = NetworkDefinition.Default();
        Definition.Chaincodes.Add(new ChaincodeDefinition { Name = "kv", Address = "127.0.0.1:1" });
        Crypto = CryptoMaterial.LoadOrCreate(_directory.Path, Definition);
        var roots = Crypto.PeerOrganizations.Append(Crypto.Orderer).ToDictionary(o => o.MspId, o => o.CaCertificate);
        Membership = new MembershipService(roots);
        Policies = new ChannelPolicies(Crypto.PeerOrganizations.Select(o => o.MspId).ToList());
    }

    public static TestChannel Instance => Shared.Value;

    public NetworkDefinition Definition { get; }
    public CryptoMaterial Crypto { get; }
    public MembershipService Membership { get; }
    public ChannelPolicies Policies { get; }

    public OrganizationMaterial Wfp => Crypto.PeerOrganizations[0];
    public OrganizationMaterial UnWomen => Crypto.PeerOrganizations[1];
    public OrganizationMaterial Unhcr => Crypto.PeerOrganizations[2];

    public ChannelContext Context(string endorsementPolicy = "MAJORITY Endorsement") =>
        new(Definition.Channel, Membership, Policies, new Dictionary<string, IPolicy> { ["kv"] = Policies.Resolve(endorsementPolicy) });

    public void Dispose() => _directory.Dispose();
}
