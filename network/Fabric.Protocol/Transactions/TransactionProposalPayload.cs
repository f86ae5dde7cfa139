using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Transactions;

/// <summary>
/// What a transaction keeps of a proposal's payload: the <c>ChaincodeProposalPayload</c> with its input only
/// (no TransientMap). It becomes <c>ChaincodeActionPayload.chaincode_proposal_payload</c> and is hashed into
/// the proposal hash.
/// </summary>
public static class TransactionProposalPayload
{
    public static ByteString From(ChaincodeProposalPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new ChaincodeProposalPayload { Input = payload.Input }.ToByteString();
    }
}
