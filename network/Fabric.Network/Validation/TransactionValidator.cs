using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Ledger;
using Fabric.Network.Membership;
using Fabric.Network.Policies;
using Fabric.Network.PrivateData;
using Fabric.Protocol.Identity;
using Protos;

namespace Fabric.Network.Validation;

/// <summary>
/// The checks a Fabric peer makes on each endorser transaction of a block before MVCC: well-formed
/// headers, the right channel, a valid creator whose signature covers the payload, txid = SHA-256(nonce ||
/// creator), and endorsements that satisfy the chaincode's policy (or the key-level policies of the keys
/// written).
/// </summary>
public static class TransactionValidator
{
    public static TxValidationCode CheckEnvelope(TransactionEnvelope tx, ChannelContext channel)
    {
        if (tx.Type != HeaderType.EndorserTransaction) return TxValidationCode.UnknownTxType;
        if (tx.ChannelHeader.ChannelId != channel.ChannelId) return TxValidationCode.TargetChainNotFound;
        if (tx.SignatureHeader.Nonce.IsEmpty || tx.SignatureHeader.Creator.IsEmpty) return TxValidationCode.BadCommonHeader;
        ValidatedIdentity creator;
        try
        {
            creator = channel.Membership.Validate(tx.SignatureHeader.Creator.Span);
        }
        catch (IdentityException)
        {
            return TxValidationCode.BadCreatorSignature;
        }
        if (!channel.Membership.Verify(creator, tx.Envelope.Payload.Span, tx.Envelope.Signature.Span)) return TxValidationCode.BadCreatorSignature;
        if (TransactionId.Compute(tx.SignatureHeader.Nonce.Span, tx.SignatureHeader.Creator.Span) != tx.TransactionId) return TxValidationCode.BadProposalTxid;
        return TxValidationCode.Valid;
    }

    /// <param name="signers">The endorsers whose signatures hold (<see cref="EndorsementVerifier.ValidSigners"/>).</param>
    public static TxValidationCode CheckEndorsements(EndorsedAction action, IReadOnlyList<ValidatedIdentity> signers, ChannelContext channel, WorldState state, UpdateBatch batch)
    {
        var chaincode = action.ChaincodeAction.ChaincodeId?.Name ?? "";
        if (!channel.ChaincodePolicies.TryGetValue(chaincode, out var chaincodePolicy)) return TxValidationCode.InvalidChaincode;
        foreach (var ns in action.Namespaces)
        {
            bool writes = ns.Set.Writes.Count > 0 || ns.Set.MetadataWrites.Count > 0;
            if (ns.Namespace != chaincode && writes) return TxValidationCode.IllegalWriteset;
            if (ns.Raw.CollectionHashedRwset.Any(c => channel.Collections.Find(ns.Namespace, c.CollectionName) is null))
                return TxValidationCode.InvalidOtherReason;
        }
        return IsEndorsementSatisfied(chaincode, chaincodePolicy, action.Namespaces, signers, state, batch, channel.Collections)
            ? TxValidationCode.Valid
            : TxValidationCode.EndorsementPolicyFailure;
    }

    /// <summary>
    /// Whether <paramref name="signers"/> satisfy what the writes need: each written key with a key-level
    /// policy needs that policy; the chaincode policy is needed unless every written key has one.
    /// The gateway uses the same rule to choose endorsers.
    /// </summary>
    public static bool IsEndorsementSatisfied(string chaincode, IPolicy chaincodePolicy, IReadOnlyList<NamespaceReadWriteSet> sets, IReadOnlyList<ValidatedIdentity> signers, WorldState state, UpdateBatch batch, ChannelCollections? collections = null)
    {
        bool needsChaincodePolicy = true;
        // A collection with its own endorsement policy needs it for writes to it instead of the chaincode's.
        var privateWrites = sets.Where(s => s.Namespace == chaincode)
            .SelectMany(s => s.Raw.CollectionHashedRwset)
            .Where(c => Kvrwset.HashedRWSet.Parser.ParseFrom(c.HashedRwset).HashedWrites.Count > 0)
            .Select(c => c.CollectionName).Distinct().ToList();
        var keys = sets.Where(s => s.Namespace == chaincode)
            .SelectMany(s => s.Set.Writes.Select(w => w.Key).Concat(s.Set.MetadataWrites.Select(m => m.Key)))
            .Distinct().ToList();
        if (keys.Count > 0 || privateWrites.Count > 0)
        {
            needsChaincodePolicy = false;
            foreach (var key in keys)
            {
                var keyPolicy = KeyLevelPolicies.For(batch, state, chaincode, key);
                if (keyPolicy is null) needsChaincodePolicy = true;
                else if (!keyPolicy.IsSatisfiedBy(signers)) return false;
            }
            foreach (var collection in privateWrites)
            {
                var policy = collections?.Find(chaincode, collection)?.EndorsementPolicy;
                if (policy is null) needsChaincodePolicy = true;
                else if (!policy.IsSatisfiedBy(signers)) return false;
            }
        }
        return !needsChaincodePolicy || chaincodePolicy.IsSatisfiedBy(signers);
    }
}