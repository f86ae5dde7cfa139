using Fabric.Client.Internal;
using Fabric.Protocol.Identity;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Client.Tests;

/// <summary>Our proposals against the ones the official Node client sent to a real Fabric 2.5 peer.</summary>
public class RecordedProposalTests
{
    public static TheoryData<string> ProposalFiles()
    {
        var data = new TheoryData<string>();
        foreach (var group in Vectors.GroupsWith("-endorse-request.bin")) data.Add(group + "/01-endorse-request.bin");
        foreach (var group in Vectors.GroupsWith("-evaluate-request.bin")) data.Add(group + "/01-evaluate-request.bin");
        return data;
    }

    [Theory]
    [MemberData(nameof(ProposalFiles))]
    public void Transaction_id_of_each_recorded_proposal_is_recomputed_from_nonce_and_creator(string file)
    {
        var (txid, signed) = file.Contains("endorse")
            ? Unpack(Vectors.Parse(EndorseRequest.Parser, file))
            : Unpack(Vectors.Parse(EvaluateRequest.Parser, file));
        var (channelHeader, signatureHeader, _) = Decode(signed.ProposalBytes);

        Assert.Equal(TransactionId.NonceLength, signatureHeader.Nonce.Length);
        var recomputed = TransactionId.Compute(signatureHeader.Nonce.Span, signatureHeader.Creator.Span);
        Assert.Equal(txid, recomputed);
        Assert.Equal(channelHeader.TxId, recomputed);
        Assert.True(X509Identity.FromSerializedIdentity(signatureHeader.Creator.Span).Verify(signed.ProposalBytes.Span, signed.Signature.Span));
    }

    [Theory]
    [InlineData("12-transient/01-endorse-request.bin")]
    [InlineData("01-put-v1/01-endorse-request.bin")]
    public void Proposal_built_here_matches_the_recorded_one_field_by_field(string file)
    {
        var recorded = Vectors.Parse(EndorseRequest.Parser, file);
        var (recChannel, recSignature, recPayload) = Decode(recorded.ProposedTransaction.ProposalBytes);
        var recInvocation = ChaincodeInvocationSpec.Parser.ParseFrom(recPayload.Input);
        var recArgs = recInvocation.ChaincodeSpec.Input.Args;

        var options = new ProposalOptions();
        foreach (var arg in recArgs.Skip(1)) options.AddArguments(arg.ToByteArray());
        foreach (var (key, value) in recPayload.TransientMap) options.AddTransient(key, value.ToByteArray());
        var ours = ProposalBuilder.Build(new SigningIdentity(Vectors.UserIdentity(), null), recChannel.ChannelId,
            ChaincodeHeaderExtension.Parser.ParseFrom(recChannel.Extension).ChaincodeId.Name, recArgs[0].ToStringUtf8(), options);
        var (channel, signature, payload) = Decode(ours.Proposal.ProposalBytes);
        var invocation = ChaincodeInvocationSpec.Parser.ParseFrom(payload.Input);

        Assert.Equal(recChannel.Type, channel.Type);
        Assert.Equal((int)Common.HeaderType.EndorserTransaction, channel.Type);
        Assert.Equal(recChannel.Version, channel.Version);
        Assert.Equal(recChannel.ChannelId, channel.ChannelId);
        Assert.Equal(recChannel.Epoch, channel.Epoch);
        Assert.Equal(recChannel.Extension, channel.Extension);
        Assert.Equal(recChannel.TlsCertHash, channel.TlsCertHash);
        Assert.NotNull(channel.Timestamp);
        Assert.InRange(channel.Timestamp.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(recSignature.Creator, signature.Creator);
        Assert.Equal(24, signature.Nonce.Length);
        Assert.NotEqual(recSignature.Nonce, signature.Nonce);
        Assert.Equal(TransactionId.Compute(signature.Nonce.Span, signature.Creator.Span), channel.TxId);
        Assert.Equal(ours.TransactionId, channel.TxId);
        // The whole chaincode invocation (spec type NODE, chaincode id, args) is byte-identical.
        Assert.Equal(recPayload.Input, payload.Input);
        Assert.Equal(recInvocation, invocation);
        Assert.Equal(recPayload.TransientMap, payload.TransientMap);
        Assert.Empty(ours.Proposal.Signature);
        // Same field layout: nothing but header and payload in the proposal.
        var proposal = Protos.Proposal.Parser.ParseFrom(ours.Proposal.ProposalBytes);
        Assert.True(proposal.Extension.IsEmpty);
    }

    [Fact]
    public void Contract_name_prefixes_the_transaction_name()
    {
        var gateway = Gateway.Connect(new FakeGateway(), Vectors.UserIdentity(), null);
        var proposal = gateway.GetNetwork("mychannel").GetContract("cashtransfer", "Redemptions").NewProposal("Redeem",
            new ProposalOptions().AddArguments("r-1"));
        var proposed = ProposedTransaction.Parser.ParseFrom(proposal.Bytes);
        var (_, _, payload) = Decode(proposed.Proposal.ProposalBytes);
        var args = ChaincodeInvocationSpec.Parser.ParseFrom(payload.Input).ChaincodeSpec.Input.Args;
        Assert.Equal(["Redemptions:Redeem", "r-1"], args.Select(a => a.ToStringUtf8()));
    }

    private static (string, SignedProposal) Unpack(EndorseRequest r) => (r.TransactionId, r.ProposedTransaction);
    private static (string, SignedProposal) Unpack(EvaluateRequest r) => (r.TransactionId, r.ProposedTransaction);

    internal static (Common.ChannelHeader, Common.SignatureHeader, ChaincodeProposalPayload) Decode(ByteString proposalBytes)
    {
        var proposal = Protos.Proposal.Parser.ParseFrom(proposalBytes);
        var header = Common.Header.Parser.ParseFrom(proposal.Header);
        return (Common.ChannelHeader.Parser.ParseFrom(header.ChannelHeader),
            Common.SignatureHeader.Parser.ParseFrom(header.SignatureHeader),
            ChaincodeProposalPayload.Parser.ParseFrom(proposal.Payload));
    }
}
