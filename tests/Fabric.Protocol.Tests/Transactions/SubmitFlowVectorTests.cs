using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Fabric.Protocol.Transactions;
using Gateway;
using Google.Protobuf;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>
/// Each recorded submit (Endorse -> Submit -> CommitStatus): endorsements, proposal hash, the client's
/// envelope signature, and the commit status against the block that holds the transaction.
/// </summary>
public class SubmitFlowVectorTests
{
    public static TheoryData<string> Submits => VectorRows.Of(() =>
        VectorIndex.GatewayGroups.Where(g => g.Call("Submit") is not null).Select(g => g.Dir));

    private sealed record Flow(
        GatewayGroup Group, ParsedProposal Proposal, EndorseResponse Endorsed, SubmitRequest Submit,
        SignedCommitStatusRequest StatusRequest, CommitStatusResponse Status);

    private static Flow Load(string dir)
    {
        var group = VectorIndex.GatewayGroups.Single(g => g.Dir == VectorRows.Require(dir));
        string File(string method, string suffix) => group.Call(method)!.FileEnding(suffix)!.Path;
        var request = VectorMessages.Read(File("Endorse", "-request.bin"), EndorseRequest.Parser);
        return new Flow(group, ParsedProposal.Parse(request.ProposedTransaction),
            VectorMessages.Read(File("Endorse", "-response.bin"), EndorseResponse.Parser),
            VectorMessages.Read(File("Submit", "-request.bin"), SubmitRequest.Parser),
            VectorMessages.Read(File("CommitStatus", "-request.bin"), SignedCommitStatusRequest.Parser),
            VectorMessages.Read(File("CommitStatus", "-response.bin"), CommitStatusResponse.Parser));
    }

    [Theory]
    [MemberData(nameof(Submits))]
    public void Endorsements_are_valid_low_s_signatures_over_the_response_payload_and_endorser(string dir)
    {
        var flow = Load(dir);
        var prepared = TransactionEnvelope.Parse(flow.Endorsed.PreparedTransaction);

        var action = Assert.Single(prepared.Actions);
        Assert.Equal(["Org1MSP", "Org2MSP"], action.Endorsements.Select(e => X509Identity.FromSerializedIdentity(e.Endorser.Span).MspId).Order());
        foreach (var endorsement in action.Endorsements)
        {
            Assert.True(EndorsementSignature.Verify(endorsement, action.ResponsePayloadBytes), $"{dir}: endorsement does not verify");
            Assert.True(EcdsaSignatures.IsLowS(endorsement.Signature.Span));
        }
    }

    [Theory]
    [MemberData(nameof(Submits))]
    public void Proposal_hash_leaves_out_the_transient_map(string dir)
    {
        var flow = Load(dir);
        var action = Assert.Single(TransactionEnvelope.Parse(flow.Endorsed.PreparedTransaction).Actions);
        var recorded = VectorIndex.Checks("proposal_hash").Single(c => c.Subject == $"gateway {flow.Group.Label} EndorseResponse.prepared_transaction");

        var hash = Convert.ToHexStringLower(flow.Proposal.Hash());

        Assert.Equal(recorded.Detail["proposal_hash"]!.GetValue<string>(), hash);
        Assert.Equal(Convert.ToHexStringLower(action.ResponsePayload.ProposalHash.Span), hash);
        Assert.Equal(TransactionProposalPayload.From(flow.Proposal.Payload), action.ActionPayload.ChaincodeProposalPayload);
        Assert.Empty(action.ProposalPayload.TransientMap);
    }

    [Theory]
    [MemberData(nameof(Submits))]
    public void Client_signs_the_prepared_payload_unchanged(string dir)
    {
        var flow = Load(dir);
        var submitted = TransactionEnvelope.Parse(flow.Submit.PreparedTransaction);

        Assert.True(flow.Endorsed.PreparedTransaction.Signature.IsEmpty);
        Assert.Equal(flow.Endorsed.PreparedTransaction.Payload, flow.Submit.PreparedTransaction.Payload);
        Assert.Equal(flow.Proposal.SignatureHeader.Creator, submitted.SignatureHeader.Creator);
        Assert.True(submitted.VerifySignature(), $"{dir}: envelope signature does not verify");
        Assert.True(EcdsaSignatures.IsLowS(flow.Submit.PreparedTransaction.Signature.Span));
        Assert.Equal(flow.Group.TxId, flow.Submit.TransactionId);
        Assert.Equal(flow.Group.TxId, submitted.TransactionId);
    }

    [Theory]
    [MemberData(nameof(Submits))]
    public void Commit_status_request_is_signed_by_the_identity_it_names(string dir)
    {
        var flow = Load(dir);
        var request = CommitStatusRequest.Parser.ParseFrom(flow.StatusRequest.Request);
        var identity = X509Identity.FromSerializedIdentity(request.Identity.Span);

        Assert.Equal(flow.Group.TxId, request.TransactionId);
        Assert.True(identity.Verify(flow.StatusRequest.Request.Span, flow.StatusRequest.Signature.Span));
        Assert.True(EcdsaSignatures.IsLowS(flow.StatusRequest.Signature.Span));
    }

    [Theory]
    [MemberData(nameof(Submits))]
    public void Commit_status_matches_the_block_that_holds_the_submitted_envelope(string dir)
    {
        var flow = Load(dir);
        var recorded = VectorIndex.Json(Path.ChangeExtension(flow.Group.Call("CommitStatus")!.FileEnding("-response.bin")!.Path, ".json"));
        var entry = VectorIndex.Blocks.Single(b => !b.FromOrderer && b.Number == flow.Status.BlockNumber);
        var (_, block) = BlockVectorTests.Load(entry.Path);

        var transaction = BlockTransactions.Read(block).Single(t => t.TransactionId == flow.Group.TxId);

        Assert.Equal(recorded["block_number"]!.GetValue<ulong>(), flow.Status.BlockNumber);
        Assert.Equal(recorded["result"]!.GetValue<int>(), (int)flow.Status.Result);
        Assert.Equal(flow.Status.Result, transaction.ValidationCode);
        Assert.Equal(flow.Submit.PreparedTransaction.ToByteString(), block.Data.Data[transaction.Index]);
    }

    [Fact]
    public void Transient_proposal_carries_a_transient_map_that_the_transaction_drops()
    {
        var flow = Load(VectorIndex.GatewayGroups.Single(g => g.Label == "transient").Dir);
        var action = Assert.Single(TransactionEnvelope.Parse(flow.Submit.PreparedTransaction).Actions);

        Assert.NotEmpty(flow.Proposal.Payload.TransientMap);
        Assert.NotEqual(flow.Proposal.Proposal.Payload, action.ActionPayload.ChaincodeProposalPayload);
        Assert.Equal(flow.Proposal.Payload.Input, action.ProposalPayload.Input);
        Assert.Equal(action.ResponsePayload.ProposalHash, ByteString.CopyFrom(flow.Proposal.Hash()));
    }
}
