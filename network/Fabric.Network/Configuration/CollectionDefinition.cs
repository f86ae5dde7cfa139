namespace Fabric.Network.Configuration;

/// <summary>
/// A private data collection of a chaincode, as in Fabric's collection configuration file
/// (collections_config.json): who may hold the data, how widely it is spread at endorsement, how long it lives.
/// </summary>
public sealed class CollectionDefinition
{
    public string Name { get; set; } = "";

    /// <summary>Member organisations as a signature policy, e.g. <c>OR('WFPMSP.member','UNHCRMSP.member')</c>.</summary>
    public string Policy { get; set; } = "";

    /// <summary>Other member peers the endorser must hand the private data to, or the endorsement fails.</summary>
    public int RequiredPeerCount { get; set; }

    /// <summary>Other member peers the endorser hands the private data to at most (the rest fetch it at commit).</summary>
    public int MaxPeerCount { get; set; } = 1;

    /// <summary>Blocks the data lives after the block that wrote it; 0 keeps it for ever.</summary>
    public ulong BlockToLive { get; set; }

    /// <summary>Only clients of member organisations may read the data.</summary>
    public bool MemberOnlyRead { get; set; } = true;

    /// <summary>Only clients of member organisations may write the data.</summary>
    public bool MemberOnlyWrite { get; set; } = true;

    /// <summary>Optional endorsement policy for writes to this collection; replaces the chaincode's for them.</summary>
    public string? EndorsementPolicy { get; set; }
}
