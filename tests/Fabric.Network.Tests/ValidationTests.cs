using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Ledger;
using Fabric.Network.Policies;
using Fabric.Network.Tests.Support;
using Fabric.Network.Validation;
using Google.Protobuf;
using Kvrwset;
using Protos;
using static Fabric.Network.Tests.Support.TestTransactions;

namespace Fabric.Network.Tests;

public class ValidationTests
{
    private static TestChannel Channel => TestChannel.Instance;

    [Fact]
    public void Two_transactions_reading_the_same_version_first_VALID_second_MVCC_READ_CONFLICT()
    {
        using var t = new TestLedger(Channel);
        var (seed, _) = Endorsed(Channel, Write("counter", "1"), Channel.Wfp, Channel.Unhcr);
        var (_, seedCodes) = t.CommitBlock(seed);
        Assert.Equal(TxValidationCode.Valid, seedCodes[0]);
        var version = t.Ledger.State.Get("kv", "counter")!.Version;
        Assert.Equal(new Ledger.Version(1, 0), version);

        var (a, _) = Endorsed(Channel, Write("counter", "2", version, read: true), Channel.Wfp, Channel.Unhcr);
        var (b, _) = Endorsed(Channel, Write("counter", "2", version, read: true), Channel.UnWomen, Channel.Unhcr);
        var (_, codes) = t.CommitBlock(a, b);
        Assert.Equal([TxValidationCode.Valid, TxValidationCode.MvccReadConflict], codes);

        // A later block: the stale read is a conflict against committed state too.
        var (c, _) = Endorsed(Channel, Write("counter", "3", version, read: true), Channel.Wfp, Channel.Unhcr);
        Assert.Equal(TxValidationCode.MvccReadConflict, t.CommitBlock(c).Codes[0]);
        Assert.Equal("2", t.Ledger.State.Get("kv", "counter")!.Value.ToStringUtf8());
        Assert.Equal(new Ledger.Version(2, 0), t.Ledger.State.Get("kv", "counter")!.Version);
    }

    [Fact]
    public void An_organisation_that_endorses_twice_counts_once_toward_the_majority()
    {
        using var t = new TestLedger(Channel);
        var (twice, _) = Endorsed(Channel, Write("twice", "1"), Channel.Wfp, Channel.Wfp);
        var (two, _) = Endorsed(Channel, Write("two", "1"), Channel.Wfp, Channel.Unhcr);

        var action = TransactionEnvelope.Parse(twice).Actions.Single();
        var signers = EndorsementVerifier.ValidSigners(Channel.Membership, action.ResponsePayloadBytes, action.Endorsements);
        var (_, codes) = t.CommitBlock(twice, two);

        Assert.Equal(2, action.Endorsements.Count);
        Assert.Equal("WFPMSP", Assert.Single(signers).MspId);
        Assert.Equal([TxValidationCode.EndorsementPolicyFailure, TxValidationCode.Valid], codes);
    }

    [Fact]
    public void Reading_a_missing_key_that_someone_created_is_a_conflict()
    {
        using var t = new TestLedger(Channel);
        var (a, _) = Endorsed(Channel, Write("fresh", "a", null, read: true), Channel.Wfp, Channel.Unhcr);
        var (b, _) = Endorsed(Channel, Write("fresh", "b", null, read: true), Channel.Wfp, Channel.Unhcr);
        Assert.Equal([TxValidationCode.Valid, TxValidationCode.MvccReadConflict], t.CommitBlock(a, b).Codes);
    }

    [Fact]
    public void A_key_inserted_into_a_scanned_range_is_a_phantom_read()
    {
        using var t = new TestLedger(Channel);
        var seed = new KVRWSet();
        foreach (var k in new[] { "r:a", "r:c" }) seed.Writes.Add(new KVWrite { Key = k, Value = ByteString.CopyFromUtf8(k) });
        t.CommitBlock(Endorsed(Channel, seed, Channel.Wfp, Channel.Unhcr).Envelope);

        KVRWSet ScanThenWrite(string target)
        {
            var set = new KVRWSet();
            var raw = new QueryReads();
            foreach (var (key, value) in t.Ledger.State.Range("kv", "r:", "r;"))
                raw.KvReads.Add(new KVRead { Key = key, Version = value.Version.ToProto() });
            set.RangeQueriesInfo.Add(new RangeQueryInfo { StartKey = "r:", EndKey = "r;", ItrExhausted = true, RawReads = raw });
            set.Writes.Add(new KVWrite { Key = target, Value = ByteString.CopyFromUtf8("sum") });
            return set;
        }

        var insert = Endorsed(Channel, Write("r:b", "new"), Channel.Wfp, Channel.Unhcr).Envelope;
        var scan = Endorsed(Channel, ScanThenWrite("total"), Channel.Wfp, Channel.Unhcr).Envelope;
        var scanOutside = Endorsed(Channel, ScanThenWrite("other"), Channel.Wfp, Channel.Unhcr).Envelope;
        // The scan recorded before the insert; the insert is ordered first in the block.
        Assert.Equal([TxValidationCode.Valid, TxValidationCode.PhantomReadConflict], t.CommitBlock(insert, scan).Codes);
        // A scan recorded before the insert stays a phantom in a later block; a fresh scan is valid.
        Assert.Equal(TxValidationCode.PhantomReadConflict, t.CommitBlock(scanOutside).Codes[0]);
        var fresh = Endorsed(Channel, ScanThenWrite("total2"), Channel.Wfp, Channel.Unhcr).Envelope;
        Assert.Equal(TxValidationCode.Valid, t.CommitBlock(fresh).Codes[0]);
    }

    [Fact]
    public void Too_few_endorsements_or_a_bad_endorsement_signature_fail_the_policy()
    {
        using var t = new TestLedger(Channel);
        var one = Endorsed(Channel, Write("k", "1"), Channel.Wfp).Envelope;
        var sameOrgTwice = Endorsed(Channel, Write("k", "1"), Channel.Wfp, Channel.Wfp).Envelope;

        // Break one of two endorsement signatures: only one valid endorser remains.
        var good = Endorsed(Channel, Write("k", "1"), Channel.Wfp, Channel.Unhcr).Envelope;
        var env = Envelope.Parser.ParseFrom(good);
        var payload = Payload.Parser.ParseFrom(env.Payload);
        var transaction = Transaction.Parser.ParseFrom(payload.Data);
        var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload);
        var sig = actionPayload.Action.Endorsements[1].Signature.ToByteArray();
        sig[^1] ^= 1;
        actionPayload.Action.Endorsements[1].Signature = ByteString.CopyFrom(sig);
        transaction.Actions[0].Payload = actionPayload.ToByteString();
        payload.Data = transaction.ToByteString();
        env.Payload = payload.ToByteString();
        using (var signer = Channel.Wfp.User1!.CreateSigner()) env.Signature = ByteString.CopyFrom(signer.Sign(env.Payload.Span));

        var codes = t.CommitBlock(one, sameOrgTwice, env.ToByteString()).Codes;
        Assert.All(codes, c => Assert.Equal(TxValidationCode.EndorsementPolicyFailure, c));
        Assert.Null(t.Ledger.State.Get("kv", "k"));
    }

    [Fact]
    public void A_bad_creator_signature_or_an_unknown_creator_is_BAD_CREATOR_SIGNATURE()
    {
        using var t = new TestLedger(Channel);
        var env = Envelope.Parser.ParseFrom(Endorsed(Channel, Write("k", "1"), Channel.Wfp, Channel.Unhcr).Envelope);
        var tampered = env.Clone();
        var sig = tampered.Signature.ToByteArray();
        sig[^1] ^= 1;
        tampered.Signature = ByteString.CopyFrom(sig);
        var unsigned = env.Clone();
        unsigned.Signature = ByteString.Empty;
        Assert.Equal([TxValidationCode.BadCreatorSignature, TxValidationCode.BadCreatorSignature], t.CommitBlock(tampered.ToByteString(), unsigned.ToByteString()).Codes);
    }

    [Fact]
    public void A_repeated_txid_is_DUPLICATE_TXID_in_the_same_block_and_later()
    {
        using var t = new TestLedger(Channel);
        var (env, txId) = Endorsed(Channel, Write("d", "1"), Channel.Wfp, Channel.Unhcr);
        Assert.Equal([TxValidationCode.Valid, TxValidationCode.DuplicateTxid], t.CommitBlock(env, env).Codes);
        Assert.Equal(TxValidationCode.DuplicateTxid, t.CommitBlock(env).Codes[0]);
        Assert.Equal(new CommittedTransaction(1, 0, TxValidationCode.Valid), t.Ledger.FindTransaction(txId));
    }

    [Fact]
    public void Garbage_and_foreign_channel_envelopes_get_their_codes()
    {
        using var t = new TestLedger(Channel);
        var garbage = ByteString.CopyFrom(0x0A, 0x03, 0xFF, 0xFF, 0xFF);
        var codes = t.CommitBlock(garbage).Codes;
        Assert.Equal(TxValidationCode.BadPayload, codes[0]);
    }

    [Fact]
    public void Key_level_policy_overrides_the_chaincode_policy_for_that_key()
    {
        using var t = new TestLedger(Channel);
        // Create the key and set its validation parameter: only UNHCR may endorse changes to it.
        var create = Write("guarded", "v0");
        create.MetadataWrites.Add(new KVMetadataWrite
        {
            Key = "guarded",
            Entries = { new KVMetadataEntry { Name = KeyLevelPolicies.ValidationParameter, Value = SignaturePolicyParser.Parse("OR('UNHCRMSP.peer')").ToByteString() } },
        });
        Assert.Equal(TxValidationCode.Valid, t.CommitBlock(Endorsed(Channel, create, Channel.Wfp, Channel.UnWomen).Envelope).Codes[0]);
        Assert.True(t.Ledger.State.Get("kv", "guarded")!.Metadata.ContainsKey(KeyLevelPolicies.ValidationParameter));

        var byMajorityWithoutUnhcr = Endorsed(Channel, Write("guarded", "v1"), Channel.Wfp, Channel.UnWomen).Envelope;
        var byUnhcrAlone = Endorsed(Channel, Write("guarded", "v2"), Channel.Unhcr).Envelope;
        var otherKeyByUnhcrAlone = Endorsed(Channel, Write("plain", "x"), Channel.Unhcr).Envelope;
        Assert.Equal([TxValidationCode.EndorsementPolicyFailure, TxValidationCode.Valid, TxValidationCode.EndorsementPolicyFailure],
            t.CommitBlock(byMajorityWithoutUnhcr, byUnhcrAlone, otherKeyByUnhcrAlone).Codes);
        // The value write kept the key's metadata.
        var guarded = t.Ledger.State.Get("kv", "guarded")!;
        Assert.Equal("v2", guarded.Value.ToStringUtf8());
        Assert.True(guarded.Metadata.ContainsKey(KeyLevelPolicies.ValidationParameter));
    }

    [Fact]
    public void Writing_another_namespace_is_an_illegal_writeset()
    {
        using var t = new TestLedger(Channel);
        var signed = Proposal(Channel.Wfp.User1!, Channel.Definition.Channel, "kv", "x");
        var parts = ParsedProposal.Parse(signed);
        var action = TestTransactions.Action("kv", Write("k", "v"));
        var rw = Rwset.TxReadWriteSet.Parser.ParseFrom(action.Results);
        rw.NsRwset.Add(new Rwset.NsReadWriteSet { Namespace = "_lifecycle", Rwset = Write("namespaces/x", "y").ToByteString() });
        action.Results = rw.ToByteString();
        var responses = new[] { Channel.Wfp, Channel.Unhcr }.Select(o =>
        {
            using var s = o.Node.CreateSigner();
            return Endorsing.ProposalResponses.Endorse(parts, action, o.Node.Identity, s);
        }).ToList();
        var env = Endorsing.ProposalResponses.AssembleTransaction(parts, responses);
        using (var s = Channel.Wfp.User1!.CreateSigner()) env.Signature = ByteString.CopyFrom(s.Sign(env.Payload.Span));
        Assert.Equal(TxValidationCode.IllegalWriteset, t.CommitBlock(env.ToByteString()).Codes[0]);
    }

    [Fact]
    public void Blocks_carry_the_filter_signature_chain_and_commit_hash()
    {
        using var t = new TestLedger(Channel);
        var (block, _) = t.CommitBlock(Endorsed(Channel, Write("a", "1"), Channel.Wfp, Channel.Unhcr).Envelope, ByteString.Empty);
        var stored = t.Ledger.GetBlock(1);
        Assert.Equal(new byte[] { 0, (byte)TxValidationCode.NilEnvelope }, stored.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].ToByteArray());
        Assert.Equal(32, Metadata.Parser.ParseFrom(stored.Metadata.Metadata[(int)BlockMetadataIndex.CommitHash]).Value.Length);
        Assert.Equal(Fabric.Protocol.Ledger.BlockHeaderHash.Compute(t.Ledger.GetBlock(0).Header), stored.Header.PreviousHash.ToByteArray());
        Assert.True(Fabric.Network.Blocks.BlockSigner.VerifyAll(stored));
        Assert.Equal(block.Header, stored.Header);
    }
}
