using Protos;

namespace Fabric.Network.Endorsing;

/// <summary>
/// What a chaincode returned for one transaction: its response, its event, or the error that ended it.
/// <paramref name="Unfinished"/>: the chaincode gave no answer (the stream ended, the call timed out, the transaction
/// was already running), which a Fabric peer reports as "failed to execute transaction", unlike the chaincode's own
/// ERROR ("transaction returned with failure"); a client may endorse again.
/// </summary>
public sealed record ChaincodeExecution(Response Response, ChaincodeEvent? Event, string? Error, bool Unfinished = false)
{
    public bool Failed => Error is not null;

    public static ChaincodeExecution NoAnswer(string reason) => new(new Response { Status = 500, Message = reason }, null, reason, Unfinished: true);
}
