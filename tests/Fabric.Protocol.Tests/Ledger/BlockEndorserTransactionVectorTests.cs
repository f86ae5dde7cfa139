using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Fabric.Protocol.Transactions;
using Protos;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Tests.Ledger;

/// <summary>
/// Endorser transactions read back from the blocks: signatures, and the chaincode's response and event as
/// the recorded chaincode COMPLETED message had them.
/// </summary>
public class BlockEndorserTransactionVectorTests
{
    public static TheoryData<string> EndorserTransactions => VectorRows.Of(() =>
        VectorIndex.Blocks.Where(b => !b.FromOrderer)
            .SelectMany(b => b.Transactions.Where(t => t.HeaderType == "ENDORSER_TRANSACTION").Select(t => $"{b.Path}#{t.Index}")));

    public static TheoryData<string> RecordedTransactions => VectorRows.Of(() =>
        VectorIndex.Blocks.Where(b => !b.FromOrderer)
            .SelectMany(b => b.Transactions.Where(t => VectorIndex.ChaincodeMessages.Any(m => m.TxId == t.TxId)).Select(t => $"{b.Path}#{t.Index}")));

    private static BlockTransaction Load(string key)
    {
        var (path, index) = BlockTransactionVectorTests.Split(VectorRows.Require(key));
        return BlockTransactions.Read(BlockVectorTests.Load(path).Block)[index];
    }

    [Theory]
    [MemberData(nameof(EndorserTransactions))]
    public void Envelope_and_endorsement_signatures_verify(string key)
    {
        var transaction = Load(key);

        Assert.True(transaction.Envelope.VerifySignature(), $"{key}: envelope signature does not verify");
        Assert.True(EcdsaSignatures.IsLowS(transaction.Envelope.Envelope.Signature.Span));
        var action = Assert.Single(transaction.Envelope.Actions);
        Assert.Equal(2, action.Endorsements.Count);
        foreach (var endorsement in action.Endorsements)
        {
            Assert.True(EndorsementSignature.Verify(endorsement, action.ResponsePayloadBytes), $"{key}: endorsement does not verify");
            Assert.True(EcdsaSignatures.IsLowS(endorsement.Signature.Span));
        }
    }

    [Theory]
    [MemberData(nameof(EndorserTransactions))]
    public void Read_write_set_reads_the_lifecycle_sequence_besides_the_chaincode(string key)
    {
        var action = Assert.Single(Load(key).Envelope.Actions);

        var lifecycle = action.Namespaces.Single(ns => ns.Namespace == "_lifecycle");
        Assert.Contains(lifecycle.Set.Reads, read => read.Key == "namespaces/fields/kvcc/Sequence");
        Assert.Contains(action.Namespaces, ns => ns.Namespace == "kvcc");
    }

    [Theory]
    [MemberData(nameof(RecordedTransactions))]
    public void Chaincode_action_holds_the_completed_response_and_event(string key)
    {
        var transaction = Load(key);
        var completedFile = VectorIndex.ChaincodeMessages.Last(m => m.TxId == transaction.TransactionId && m.TypeName == "COMPLETED");
        var completed = VectorMessages.Read(completedFile.Path, ChaincodeMessage.Parser);
        var action = Assert.Single(transaction.Envelope.Actions);

        Assert.Equal(Response.Parser.ParseFrom(completed.Payload), action.Response);
        if (completed.ChaincodeEvent is null)
        {
            Assert.Null(action.Event);
            return;
        }
        var blockEvent = Assert.IsType<ChaincodeEvent>(action.Event);
        Assert.Equal(completed.ChaincodeEvent.EventName, blockEvent.EventName);
        Assert.Equal(completed.ChaincodeEvent.Payload, blockEvent.Payload);
        Assert.Equal("", completed.ChaincodeEvent.TxId);
        Assert.Equal(transaction.TransactionId, blockEvent.TxId);
        Assert.Equal(action.ChaincodeAction.ChaincodeId.Name, blockEvent.ChaincodeId);
        Assert.Equal("kvcc", blockEvent.ChaincodeId);
    }
}
