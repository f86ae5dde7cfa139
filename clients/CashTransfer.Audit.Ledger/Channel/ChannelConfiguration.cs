using System.Collections.Concurrent;
using Common;
using Fabric.Protocol.Identity;

namespace CashTransfer.Audit.Ledger.Channel;

/// <summary>
/// A channel's configuration as a config block carries it: the organisations' MSPs (application and ordering) and
/// the policy tree. Identities are validated once each (certificate chains are costly) and policies are evaluated
/// as Fabric evaluates them (<see cref="PolicyEvaluator"/>).
/// </summary>
public sealed class ChannelConfiguration
{
    private readonly Dictionary<string, OrganizationMsp> _msps;
    private readonly ConcurrentDictionary<string, (ChannelMember? Member, string? Error)> _validated = new();

    private ChannelConfiguration(string channelId, ulong blockNumber, ConfigGroup root, Dictionary<string, OrganizationMsp> msps)
    {
        ChannelId = channelId;
        BlockNumber = blockNumber;
        Root = root;
        _msps = msps;
    }

    public string ChannelId { get; }

    /// <summary>The config block this configuration came from.</summary>
    public ulong BlockNumber { get; }

    /// <summary>The <c>Channel</c> config group.</summary>
    public ConfigGroup Root { get; }

    public IReadOnlyCollection<OrganizationMsp> Organizations => _msps.Values;

    /// <summary>Reads the configuration from a config block (the genesis block, or a later config update block).</summary>
    public static ChannelConfiguration FromConfigBlock(Block block)
    {
        if (block.Data?.Data.Count != 1) throw new FormatException($"Block {block.Header?.Number} is not a config block: it holds {block.Data?.Data.Count ?? 0} transactions.");
        var envelope = Envelope.Parser.ParseFrom(block.Data.Data[0]);
        var payload = Payload.Parser.ParseFrom(envelope.Payload);
        var header = ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader);
        if ((HeaderType)header.Type != HeaderType.Config) throw new FormatException($"Block {block.Header?.Number} is not a config block: its transaction is {(HeaderType)header.Type}.");
        var config = ConfigEnvelope.Parser.ParseFrom(payload.Data).Config
            ?? throw new FormatException($"Block {block.Header?.Number}: the config envelope holds no config.");
        var msps = new Dictionary<string, OrganizationMsp>(StringComparer.Ordinal);
        foreach (var section in new[] { "Application", "Orderer" })
        {
            if (!config.ChannelGroup.Groups.TryGetValue(section, out var group)) continue;
            foreach (var org in group.Groups.Values)
            {
                if (!org.Values.TryGetValue("MSP", out var value)) continue;
                var msp = OrganizationMsp.FromConfig(Msp.MSPConfig.Parser.ParseFrom(value.Value));
                msps[msp.MspId] = msp;
            }
        }
        return new ChannelConfiguration(header.ChannelId, block.Header!.Number, config.ChannelGroup, msps);
    }

    /// <summary>The name of the Application group of the organisation whose MSP is <paramref name="mspId"/>, or null.</summary>
    public string? ApplicationOrganizationGroup(string mspId)
    {
        if (!Root.Groups.TryGetValue("Application", out var application)) return null;
        foreach (var (name, group) in application.Groups)
            if (group.Values.TryGetValue("MSP", out var value) && Msp.FabricMSPConfig.Parser.ParseFrom(Msp.MSPConfig.Parser.ParseFrom(value.Value).Config).Name == mspId)
                return name;
        return null;
    }

    /// <summary>Whether a channel organisation's MSP accepts the serialized identity; the reason when it does not.</summary>
    public (ChannelMember? Member, string? Error) Validate(ReadOnlySpan<byte> serializedIdentity)
    {
        var key = Convert.ToBase64String(serializedIdentity);
        if (_validated.TryGetValue(key, out var known)) return known;
        (ChannelMember?, string?) result;
        try
        {
            var identity = X509Identity.FromSerializedIdentity(serializedIdentity);
            result = _msps.TryGetValue(identity.MspId, out var msp) ? msp.Validate(identity) : (null, $"MSP {identity.MspId} is not a member of channel {ChannelId}");
        }
        catch (FormatException e)
        {
            result = (null, e.Message);
        }
        return _validated[key] = result;
    }

    /// <summary>The policy at a path such as <c>/Channel/Orderer/BlockValidation</c>, or null when the config has none there.</summary>
    public (Policy Policy, ConfigGroup Group)? PolicyAt(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 2 || parts[0] != "Channel") return null;
        var group = Root;
        foreach (var name in parts[1..^1])
            if (!group.Groups.TryGetValue(name, out group)) return null;
        return group.Policies.TryGetValue(parts[^1], out var policy) && policy.Policy is not null ? (policy.Policy, group) : null;
    }

    /// <summary>True when the signers satisfy the policy at <paramref name="path"/> (false when there is no such policy).</summary>
    public bool Satisfies(string path, IReadOnlyList<ChannelMember> signers) =>
        PolicyAt(path) is { } found && PolicyEvaluator.Evaluate(found.Policy, found.Group, signers);
}
