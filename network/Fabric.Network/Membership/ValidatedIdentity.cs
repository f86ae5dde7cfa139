using Fabric.Protocol.Identity;

namespace Fabric.Network.Membership;

/// <summary>An identity whose certificate chains to its organisation's CA, with its NodeOU role.</summary>
public sealed record ValidatedIdentity(X509Identity Identity, NodeRole Role, byte[] SerializedIdentity)
{
    public string MspId => Identity.MspId;
}
