using Fabric.Protocol.Identity;
using Fabric.Protocol.Tests.Vectors;
using Fabric.Protocol.Transactions;
using Google.Protobuf;
using Protos;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>
/// Every recorded proposal (chaincode TRANSACTION messages and Gateway Endorse/Evaluate requests):
/// txid = SHA-256(nonce || creator), and the creator's low-S signature over proposal_bytes.
/// </summary>
public class ProposalVectorTests
{
    public static TheoryData<string> Proposals => VectorRows.Of(() =>
        VectorIndex.ChaincodeMessages.Where(m => m.TypeName == "TRANSACTION").Select(m => m.Path)
            .Concat(VectorIndex.GatewayFiles.Where(f => f.Type is "gateway.EndorseRequest" or "gateway.EvaluateRequest").Select(f => f.Path)));

    public static TheoryData<string> ChaincodeTransactions => VectorRows.Of(() =>
        VectorIndex.ChaincodeMessages.Where(m => m.TypeName == "TRANSACTION").Select(m => m.Path));

    [Theory]
    [MemberData(nameof(Proposals))]
    public void Transaction_id_is_sha256_of_nonce_and_creator(string path)
    {
        var (proposal, expectedTxId) = Load(VectorRows.Require(path));

        Assert.Equal(TransactionId.NonceLength, proposal.SignatureHeader.Nonce.Length);
        Assert.Equal(expectedTxId, proposal.ComputeTransactionId());
        Assert.Equal(expectedTxId, proposal.TransactionId);
    }

    [Theory]
    [MemberData(nameof(Proposals))]
    public void Proposal_signature_is_the_creators_low_s_signature(string path)
    {
        var (proposal, _) = Load(VectorRows.Require(path));

        Assert.Equal("Org1MSP", proposal.Creator().MspId);
        Assert.True(proposal.VerifySignature(), $"{path}: proposal signature does not verify");
        Assert.True(EcdsaSignatures.IsLowS(proposal.Signed.Signature.Span));
    }

    [Theory]
    [MemberData(nameof(ChaincodeTransactions))]
    public void Chaincode_transaction_carries_the_gateway_proposal_and_its_input(string path)
    {
        var entry = VectorIndex.ChaincodeMessages.Single(m => m.Path == VectorRows.Require(path));
        var message = VectorMessages.Read(path, ChaincodeMessage.Parser);
        var proposal = ParsedProposal.Parse(message.Proposal);
        var group = VectorIndex.GatewayGroupOf(entry.TxId);
        var request = group.Calls.SelectMany(c => c.Files).Single(f => f.Type is "gateway.EndorseRequest" or "gateway.EvaluateRequest");
        var gatewayProposal = request.Type == "gateway.EndorseRequest"
            ? VectorMessages.Read(request.Path, Gateway.EndorseRequest.Parser).ProposedTransaction
            : VectorMessages.Read(request.Path, Gateway.EvaluateRequest.Parser).ProposedTransaction;

        Assert.Equal(proposal.Input.ToByteString(), message.Payload);
        Assert.Equal(proposal.TransactionId, message.Txid);
        Assert.Equal(proposal.ChannelId, message.ChannelId);
        Assert.Equal(gatewayProposal.ToByteString(), message.Proposal.ToByteString());
    }

    [Fact]
    public void A_flipped_byte_in_the_proposal_or_its_signature_fails_verification()
    {
        var (proposal, _) = Load(VectorIndex.ChaincodeMessages.First(m => m.TypeName == "TRANSACTION").Path);
        var creator = proposal.Creator();
        var message = proposal.Signed.ProposalBytes.ToByteArray();
        var signature = proposal.Signed.Signature.ToByteArray();
        Assert.True(creator.Verify(message, signature));

        var changedMessage = (byte[])message.Clone();
        changedMessage[message.Length / 2] ^= 0x01;
        var changedSignature = (byte[])signature.Clone();
        changedSignature[^3] ^= 0x01;

        Assert.False(creator.Verify(changedMessage, signature));
        Assert.False(creator.Verify(message, changedSignature));
    }

    internal static (ParsedProposal Proposal, string ExpectedTxId) Load(string path)
    {
        if (path.StartsWith("chaincode/", StringComparison.Ordinal))
        {
            var entry = VectorIndex.ChaincodeMessages.Single(m => m.Path == path);
            return (ParsedProposal.Parse(VectorMessages.Read(path, ChaincodeMessage.Parser).Proposal), entry.TxId);
        }
        var group = VectorIndex.GatewayGroups.Single(g => path.StartsWith(g.Dir + "/", StringComparison.Ordinal));
        SignedProposal signed = path.EndsWith("-endorse-request.bin", StringComparison.Ordinal)
            ? VectorMessages.Read(path, Gateway.EndorseRequest.Parser).ProposedTransaction
            : VectorMessages.Read(path, Gateway.EvaluateRequest.Parser).ProposedTransaction;
        return (ParsedProposal.Parse(signed), group.TxId);
    }
}
