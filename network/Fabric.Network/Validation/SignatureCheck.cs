using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Membership;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Validation;

/// <summary>
/// What can be checked of one transaction without the state or the other transactions of its block: that it parses,
/// its header and creator signature (<see cref="TransactionValidator.CheckEnvelope"/>) and which endorsements carry a
/// valid signature. These checks are independent of each other, so a block's transactions go through them in parallel
/// (as a Fabric committer runs its validation goroutines) before the pass in block order that needs the state.
/// </summary>
public sealed record SignatureCheck(TransactionEnvelope? Transaction, TxValidationCode Code, EndorsedAction? Action, IReadOnlyList<ValidatedIdentity> Signers)
{
    public static SignatureCheck Run(ByteString envelope, ChannelContext channel)
    {
        if (envelope.IsEmpty) return Failed(null, TxValidationCode.NilEnvelope);
        TransactionEnvelope tx;
        try
        {
            tx = TransactionEnvelope.Parse(envelope);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            return Failed(null, TxValidationCode.BadPayload);
        }
        // An endorser transaction carries exactly one chaincode action.
        if (tx.Type == HeaderType.EndorserTransaction && tx.Actions.Count != 1) return Failed(tx, TxValidationCode.BadPayload);
        var code = TransactionValidator.CheckEnvelope(tx, channel);
        if (code != TxValidationCode.Valid) return Failed(tx, code);
        if (tx.SingleAction() is not { } action) return new SignatureCheck(tx, TxValidationCode.Valid, null, []);
        return new SignatureCheck(tx, TxValidationCode.Valid, action,
            EndorsementVerifier.ValidSigners(channel.Membership, action.ResponsePayloadBytes, action.Endorsements));
    }

    /// <summary>Checks every envelope of a block, on as many cores as there are.</summary>
    public static SignatureCheck[] RunAll(IReadOnlyList<ByteString> envelopes, ChannelContext channel)
    {
        var checks = new SignatureCheck[envelopes.Count];
        if (envelopes.Count == 1) checks[0] = Run(envelopes[0], channel);
        else Parallel.For(0, envelopes.Count, i => checks[i] = Run(envelopes[i], channel));
        return checks;
    }

    private static SignatureCheck Failed(TransactionEnvelope? tx, TxValidationCode code) => new(tx, code, null, []);
}
