using System.Text.RegularExpressions;
using Common;

namespace Fabric.Network.Policies;

/// <summary>
/// The channel's policies as configtxgen's sample profiles define them. Each agency has Readers
/// (admin, peer, client), Writers (admin, client), Admins (admin) and Endorsement (peer); the
/// application group combines them: Readers = ANY Readers, Writers = ANY Writers, Admins and
/// Endorsement = MAJORITY.
/// </summary>
public sealed partial class ChannelPolicies
{
    private readonly IReadOnlyList<string> _mspIds;
    private readonly Dictionary<string, Dictionary<string, SignaturePolicyEnvelope>> _orgPolicies = new();

    public ChannelPolicies(IReadOnlyList<string> applicationMspIds)
    {
        _mspIds = applicationMspIds;
        foreach (var msp in applicationMspIds)
        {
            _orgPolicies[msp] = new Dictionary<string, SignaturePolicyEnvelope>
            {
                ["Readers"] = SignaturePolicyParser.Parse($"OR('{msp}.admin','{msp}.peer','{msp}.client')"),
                ["Writers"] = SignaturePolicyParser.Parse($"OR('{msp}.admin','{msp}.client')"),
                ["Admins"] = SignaturePolicyParser.Parse($"OR('{msp}.admin')"),
                ["Endorsement"] = SignaturePolicyParser.Parse($"OR('{msp}.peer')"),
            };
        }
        Readers = Resolve("ANY Readers");
        Writers = Resolve("ANY Writers");
        Endorsement = Resolve("MAJORITY Endorsement");
    }

    /// <summary>/Channel/Application/Readers: who may evaluate, read blocks and events.</summary>
    public IPolicy Readers { get; }

    /// <summary>/Channel/Application/Writers: who may submit proposals.</summary>
    public IPolicy Writers { get; }

    /// <summary>/Channel/Application/Endorsement: the default chaincode endorsement policy.</summary>
    public IPolicy Endorsement { get; }

    /// <summary>An organisation's own policy by name, as a signature policy envelope (for the channel config).</summary>
    public SignaturePolicyEnvelope OrganizationPolicy(string mspId, string name) => _orgPolicies[mspId][name];

    /// <summary>
    /// Turns policy text into a policy: <c>MAJORITY Endorsement</c>, <c>ANY Writers</c>, <c>ALL Admins</c>
    /// over the agencies, or a signature policy such as <c>AND('A.peer','B.peer')</c>.
    /// </summary>
    public IPolicy Resolve(string text)
    {
        var meta = ImplicitMetaSyntax().Match(text.Trim());
        if (!meta.Success) return new CompiledSignaturePolicy(SignaturePolicyParser.Parse(text));
        var rule = meta.Groups[1].Value.ToUpperInvariant() switch
        {
            "ANY" => Common.ImplicitMetaPolicy.Types.Rule.Any,
            "ALL" => Common.ImplicitMetaPolicy.Types.Rule.All,
            _ => Common.ImplicitMetaPolicy.Types.Rule.Majority,
        };
        var name = meta.Groups[2].Value;
        var subs = _mspIds.Select(msp => _orgPolicies[msp].TryGetValue(name, out var p)
            ? (IPolicy)new CompiledSignaturePolicy(p)
            : throw new FormatException($"organisation policy '{name}' does not exist (Readers, Writers, Admins, Endorsement)")).ToList();
        return new Policies.ImplicitMetaPolicy(rule, subs);
    }

    [GeneratedRegex(@"^(ANY|ALL|MAJORITY)\s+(\w+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ImplicitMetaSyntax();
}
