namespace Fabric.Network.Membership;

/// <summary>The NodeOU role of an identity, read from its certificate's OU (cryptogen and Fabric CA set it).</summary>
public enum NodeRole
{
    Client,
    Peer,
    Admin,
    Orderer,
}
