using Fabric.Shim.Stub;

namespace Fabric.Shim.Contracts;

/// <summary>What a transaction function works with: the stub of this transaction and who submitted it.</summary>
public class Context
{
    public Context(IChaincodeStub stub, ClientIdentity clientIdentity)
    {
        Stub = stub;
        ClientIdentity = clientIdentity;
    }

    public IChaincodeStub Stub { get; }
    public ClientIdentity ClientIdentity { get; }
}
