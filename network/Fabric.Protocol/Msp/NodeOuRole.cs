namespace Fabric.Protocol.Msp;

/// <summary>The roles Fabric's NodeOUs give an identity through an organisational unit in its certificate.</summary>
public enum NodeOuRole
{
    Client,
    Peer,
    Admin,
    Orderer,
}
