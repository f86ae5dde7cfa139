using Protos;

namespace Fabric.Network.Endorsing;

/// <summary>What a chaincode returned for one transaction: its response, its event, or the error that ended it.</summary>
public sealed record ChaincodeExecution(Response Response, ChaincodeEvent? Event, string? Error)
{
    public bool Failed => Error is not null;
}
