using CashTransfer.Audit.Ledger.Channel;
using CashTransfer.Audit.Ledger.State;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Transactions;
using Protos;

namespace CashTransfer.Audit.Ledger.Checks;

/// <summary>
/// Re-validates one endorser transaction as a committing peer would: creator membership and signature, the
/// transaction id, a repeated transaction id, every endorsement's signature, the endorsement policy of each
/// namespace it writes (and of the chaincode it invoked), key-level policies of the keys it writes, and, when the
/// rebuilt state is complete, the versions in its read set. Returns the validation code Fabric should have given it
/// and the problems found (which become findings when the peer flagged the transaction VALID).
/// </summary>
public static class TransactionCheck
{
    public sealed record Verdict(TxValidationCode Code, IReadOnlyList<LedgerFinding> Problems);

    public static Verdict Run(TransactionEnvelope tx, ulong blockNumber, ChannelConfiguration config, RebuiltState state,
        ISet<string> seenTransactionIds, bool stateIsComplete)
    {
        var problems = new List<LedgerFinding>();
        var txId = tx.TransactionId;
        LedgerFinding Finding(FindingKind kind, string expected, string found, string detail = "") => new(kind, blockNumber, txId, expected, found, detail);

        if (tx.ChannelId != config.ChannelId)
            return new(TxValidationCode.BadChannelHeader, [Finding(FindingKind.Malformed, $"channel {config.ChannelId}", $"channel {tx.ChannelId}")]);

        var (creator, creatorError) = config.Validate(tx.SignatureHeader.Creator.Span);
        if (creator is null)
            return new(TxValidationCode.BadCreatorSignature, [Finding(FindingKind.CreatorNotMember, "a creator certified by a channel organisation", creatorError ?? "an unknown identity")]);
        var signature = SignatureCheck.Verify(creator.Identity, tx.Envelope.Payload.Span, tx.Envelope.Signature.Span);
        if (signature != SignatureOutcome.Valid)
            return new(TxValidationCode.BadCreatorSignature, [Finding(FindingKind.CreatorSignatureInvalid, SignatureCheck.Describe(SignatureOutcome.Valid), SignatureCheck.Describe(signature), $"creator {creator.MspId} '{creator.Identity.Certificate.Subject}'")]);

        var expectedTxId = TransactionId.Compute(tx.SignatureHeader.Nonce.Span, tx.SignatureHeader.Creator.Span);
        if (expectedTxId != txId)
            return new(TxValidationCode.BadProposalTxid, [Finding(FindingKind.TransactionIdMismatch, expectedTxId, txId, "tx_id must be SHA-256(nonce || creator)")]);
        if (seenTransactionIds.Contains(txId))
            return new(TxValidationCode.DuplicateTxid, [Finding(FindingKind.DuplicateTransactionId, "a transaction id not used before", "a repeated transaction id")]);
        if (tx.Actions.Count == 0)
            return new(TxValidationCode.NilTxaction, [Finding(FindingKind.Malformed, "at least one endorsed action", "none")]);

        var code = TxValidationCode.Valid;
        foreach (var action in tx.Actions)
        {
            var endorsers = ValidEndorsers(action, config, Finding, problems);
            var failed = CheckPolicies(action, endorsers, config, state, Finding, problems);
            if (failed && code == TxValidationCode.Valid) code = TxValidationCode.EndorsementPolicyFailure;
        }
        if (code == TxValidationCode.Valid && stateIsComplete && ReadConflict(tx, state) is { } conflict)
        {
            problems.Add(Finding(FindingKind.ReadConflict, conflict.Expected, conflict.Found, $"read of {conflict.Key}"));
            code = TxValidationCode.MvccReadConflict;
        }
        return new(code, problems);
    }

    /// <summary>Whether the peer could have checked the code it gave: the codes this check also decides.</summary>
    public static bool IsCheckable(TxValidationCode code, bool stateIsComplete) => code switch
    {
        TxValidationCode.EndorsementPolicyFailure or TxValidationCode.BadCreatorSignature or TxValidationCode.BadProposalTxid or TxValidationCode.DuplicateTxid => true,
        TxValidationCode.MvccReadConflict => stateIsComplete,
        _ => false,
    };

    private static List<ChannelMember> ValidEndorsers(EndorsedAction action, ChannelConfiguration config,
        Func<FindingKind, string, string, string, LedgerFinding> finding, List<LedgerFinding> problems)
    {
        var endorsers = new List<ChannelMember>();
        foreach (var endorsement in action.Endorsements)
        {
            var (member, error) = config.Validate(endorsement.Endorser.Span);
            if (member is null)
            {
                problems.Add(finding(FindingKind.EndorsementSignatureInvalid, "an endorser certified by a channel organisation", error ?? "an unknown identity", ""));
                continue;
            }
            var signed = EndorsementSignature.SignedBytes(action.ResponsePayloadBytes, endorsement.Endorser);
            var outcome = SignatureCheck.Verify(member.Identity, signed, endorsement.Signature.Span);
            if (outcome == SignatureOutcome.Valid) endorsers.Add(member);
            else problems.Add(finding(FindingKind.EndorsementSignatureInvalid, SignatureCheck.Describe(SignatureOutcome.Valid), SignatureCheck.Describe(outcome),
                $"endorser {member.MspId} '{member.Identity.Certificate.Subject}'"));
        }
        return endorsers;
    }

    // True when a policy failed. As Fabric's validator: written keys with a key-level policy answer to it, other written
    // keys to their namespace's policy; the invoked chaincode answers to its policy when nothing it wrote was checked
    // (it wrote nothing, FAB-9473), so a transaction whose every write has a key-level policy needs only those.
    private static bool CheckPolicies(EndorsedAction action, IReadOnlyList<ChannelMember> endorsers, ChannelConfiguration config, RebuiltState state,
        Func<FindingKind, string, string, string, LedgerFinding> finding, List<LedgerFinding> problems)
    {
        var failed = false;
        var invoked = action.ChaincodeAction.ChaincodeId?.Name;
        var namespaces = action.Namespaces.Select(n => n.Namespace).Append(invoked).OfType<string>().Distinct();
        var endorsedBy = endorsers.Count == 0 ? "no valid endorsement" : string.Join(", ", endorsers.Select(e => $"{e.MspId}.{e.Role?.ToString().ToLowerInvariant() ?? "member"}"));
        foreach (var ns in namespaces)
        {
            var set = action.Namespaces.FirstOrDefault(n => n.Namespace == ns);
            var written = set is null ? [] : set.Set.Writes.Select(w => w.Key).Concat(set.Set.MetadataWrites.Select(m => m.Key)).Distinct().ToList();
            var hashed = set?.Raw.CollectionHashedRwset.Where(WritesTo).Select(c => c.CollectionName).ToList() ?? [];
            var needsNamespacePolicy = ns == ChaincodePolicies.Lifecycle ? written.Count > 0 : (ns == invoked && written.Count == 0) || hashed.Count > 0;
            if (ns == ChaincodePolicies.Lifecycle)
            {
                // An approval writes only to its organisation's implicit collection, which that organisation's peers endorse.
                foreach (var collection in hashed)
                {
                    var path = ChaincodePolicies.ImplicitCollectionPolicy(collection, config);
                    if (path is null) { needsNamespacePolicy = true; continue; }
                    if (config.Satisfies(path, endorsers)) continue;
                    failed = true;
                    problems.Add(finding(FindingKind.EndorsementPolicyUnsatisfied, $"endorsements satisfying {path} for {ns} collection {collection}", endorsedBy, ""));
                }
            }
            foreach (var key in written)
            {
                var keyPolicy = state.KeyPolicy(ns, key);
                if (keyPolicy is null) { needsNamespacePolicy = true; continue; }
                var envelope = Common.SignaturePolicyEnvelope.Parser.ParseFrom(keyPolicy);
                if (PolicyEvaluator.Evaluate(envelope, endorsers)) continue;
                failed = true;
                problems.Add(finding(FindingKind.KeyLevelPolicyUnsatisfied, $"endorsements satisfying the key-level policy of {ns}/{Printable(key)}", endorsedBy, ""));
            }
            if (!needsNamespacePolicy) continue;
            var policy = ChaincodePolicies.For(ns, state);
            if (policy.IsSatisfiedBy(config, endorsers)) continue;
            failed = true;
            problems.Add(finding(FindingKind.EndorsementPolicyUnsatisfied, $"endorsements satisfying {policy.Description} for namespace {ns}", endorsedBy, ""));
        }
        return failed;
    }

    // As Fabric's validator, a collection's policy covers what a transaction writes there, never what it only read: a
    // chaincode commit reads every organisation's approval from that organisation's implicit collection. A set that
    // does not parse is held to the collection's policy.
    private static bool WritesTo(Rwset.CollectionHashedReadWriteSet collection)
    {
        if (collection.HashedRwset.IsEmpty) return false;
        try
        {
            var set = Kvrwset.HashedRWSet.Parser.ParseFrom(collection.HashedRwset);
            return set.HashedWrites.Count > 0 || set.MetadataWrites.Count > 0;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return true;
        }
    }

    private static (string Key, string Expected, string Found)? ReadConflict(TransactionEnvelope tx, RebuiltState state)
    {
        foreach (var action in tx.Actions)
        foreach (var ns in action.Namespaces)
        foreach (var read in ns.Set.Reads)
        {
            var current = state.Get(ns.Namespace, read.Key);
            var committed = current is null ? "absent" : $"version {current.BlockNumber}:{current.TxNumber}";
            var readVersion = read.Version is null ? "absent" : $"version {read.Version.BlockNum}:{read.Version.TxNum}";
            if (committed != readVersion) return ($"{ns.Namespace}/{Printable(read.Key)}", $"the committed {committed}", $"a read of {readVersion}");
        }
        return null;
    }

    /// <summary>Composite keys hold U+0000 separators; show them as '~'.</summary>
    public static string Printable(string key) => key.Replace('\0', '~');
}
