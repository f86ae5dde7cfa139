using System.Security.Cryptography;
using Fabric.Protocol.Identity;
using Gateway;
using Google.Protobuf;
using Protos;
using GatewayProto = Gateway;

namespace Fabric.Client.Tests;

/// <summary>
/// Offline signing: a gateway without a signer hands out bytes and digests; the digest is signed elsewhere
/// (here: EcdsaSigner.SignDigest, as an HSM would); the signed object is rebuilt from bytes + signature and sends
/// exactly the request that a gateway with the signer would have sent.
/// </summary>
public class OfflineSigningTests
{
    private static readonly EcdsaSigner RemoteSigner = Vectors.UserSigner();

    private static (Gateway Offline, FakeGateway Fake) OfflineGateway()
    {
        var fake = new FakeGateway();
        return (Gateway.Connect(fake, Vectors.UserIdentity(), signer: null), fake);
    }

    [Fact]
    public async Task Unsigned_requests_cannot_be_sent_without_a_signer()
    {
        var (gateway, fake) = OfflineGateway();
        var proposal = gateway.GetNetwork("mychannel").GetContract("kvcc").NewProposal("get");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => proposal.EvaluateAsync());
        Assert.Contains("sign offline", e.Message);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Proposal_round_trip()
    {
        var (gateway, fake) = OfflineGateway();
        fake.OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"));
        var unsigned = gateway.GetNetwork("mychannel").GetContract("kvcc").NewProposal("put",
            new ProposalOptions().AddArguments("asset1", "v1").WithEndorsingOrganizations("Org1MSP"));
        var bytes = unsigned.Bytes;
        var proposalBytes = ProposedTransaction.Parser.ParseFrom(bytes).Proposal.ProposalBytes;
        Assert.Equal(SHA256.HashData(proposalBytes.Span), unsigned.Digest);
        Assert.False(unsigned.IsSigned);

        var signature = RemoteSigner.SignDigest(unsigned.Digest);
        var signed = gateway.NewSignedProposal(bytes, signature);
        Assert.True(signed.IsSigned);
        Assert.Equal(unsigned.TransactionId, signed.TransactionId);
        Assert.Equal("mychannel", signed.ChannelName);
        await signed.EndorseAsync();

        var sent = EndorseRequest.Parser.ParseFrom(fake.Calls.Single().Request);
        Assert.Equal(proposalBytes, sent.ProposedTransaction.ProposalBytes);
        Assert.Equal(signature, sent.ProposedTransaction.Signature.ToByteArray());
        Assert.Equal(["Org1MSP"], sent.EndorsingOrganizations);
        Assert.Equal(unsigned.TransactionId, sent.TransactionId);
        Assert.True(Vectors.UserIdentity().Verify(proposalBytes.Span, signature));
        // Rebuilding from the signed object's bytes keeps the signature.
        Assert.Equal(signed.Bytes, gateway.NewProposal(signed.Bytes).Bytes);
    }

    [Fact]
    public async Task Transaction_round_trip()
    {
        var (gateway, fake) = OfflineGateway();
        fake.OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "02-put-v2/01-endorse-response.bin"))
            .OnUnary("Submit", _ => new SubmitResponse());
        var recordedRequest = Vectors.Parse(EndorseRequest.Parser, "02-put-v2/01-endorse-request.bin");
        var proposal = gateway.NewProposal(new ProposedTransaction { TransactionId = recordedRequest.TransactionId, Proposal = recordedRequest.ProposedTransaction }.ToByteArray());
        var unsigned = await proposal.EndorseAsync();
        var envelopePayload = PreparedTransaction.Parser.ParseFrom(unsigned.Bytes).Envelope.Payload;
        Assert.Equal(SHA256.HashData(envelopePayload.Span), unsigned.Digest);

        var signature = RemoteSigner.SignDigest(unsigned.Digest);
        var signed = gateway.NewSignedTransaction(unsigned.Bytes, signature);
        Assert.Equal(unsigned.Result, signed.Result);
        Assert.Equal(unsigned.TransactionId, signed.TransactionId);
        var submitted = await signed.SubmitAsync();

        var sent = GatewayProto.SubmitRequest.Parser.ParseFrom(fake.Calls.Last().Request);
        Assert.Equal(envelopePayload, sent.PreparedTransaction.Payload);
        Assert.Equal(signature, sent.PreparedTransaction.Signature.ToByteArray());
        Assert.Equal(recordedRequest.TransactionId, sent.TransactionId);
        // The recorded submit had the same payload: the rebuilt transaction is the one Fabric committed.
        Assert.Equal(Vectors.Parse(GatewayProto.SubmitRequest.Parser, "02-put-v2/02-submit-request.bin").PreparedTransaction.Payload, sent.PreparedTransaction.Payload);
        Assert.Equal(signed.TransactionId, submitted.Commit.TransactionId);
    }

    [Fact]
    public async Task Commit_round_trip()
    {
        var (gateway, fake) = OfflineGateway();
        fake.OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"))
            .OnUnary("Submit", _ => new SubmitResponse())
            .OnUnary("CommitStatus", _ => Vectors.Parse(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin"));
        var recordedRequest = Vectors.Parse(EndorseRequest.Parser, "01-put-v1/01-endorse-request.bin");
        var transaction = await gateway.NewProposal(new ProposedTransaction { TransactionId = recordedRequest.TransactionId, Proposal = recordedRequest.ProposedTransaction }.ToByteArray()).EndorseAsync();
        var submitted = await gateway.NewSignedTransaction(transaction.Bytes, RemoteSigner.SignDigest(transaction.Digest)).SubmitAsync();

        var unsigned = submitted.Commit;
        var recorded = Vectors.Parse(SignedCommitStatusRequest.Parser, "01-put-v1/03-commitstatus-request.bin");
        Assert.Equal(SHA256.HashData(recorded.Request.Span), unsigned.Digest);
        var signature = RemoteSigner.SignDigest(unsigned.Digest);
        var status = await gateway.NewSignedCommit(unsigned.Bytes, signature).GetStatusAsync();

        var sent = SignedCommitStatusRequest.Parser.ParseFrom(fake.Calls.Last().Request);
        Assert.Equal(recorded.Request, sent.Request);
        Assert.Equal(signature, sent.Signature.ToByteArray());
        Assert.Equal((recordedRequest.TransactionId, 23ul), (status.TransactionId, status.BlockNumber));
    }

    [Fact]
    public async Task Chaincode_events_request_round_trip()
    {
        var (gateway, fake) = OfflineGateway();
        fake.OnStream("ChaincodeEvents", _ => [Vectors.Parse(ChaincodeEventsResponse.Parser, "16-chaincode-events/01-chaincodeevents-response-1.bin")]);
        var unsigned = gateway.GetNetwork("mychannel").NewChaincodeEventsRequest("kvcc", new EventsOptions { StartBlock = 23 });
        var recorded = Vectors.Parse(SignedChaincodeEventsRequest.Parser, "16-chaincode-events/01-chaincodeevents-request.bin");
        // Same request as the Node client's, so the same digest.
        Assert.Equal(SHA256.HashData(recorded.Request.Span), unsigned.Digest);

        var signature = RemoteSigner.SignDigest(unsigned.Digest);
        var events = new List<ChaincodeEvent>();
        await foreach (var e in gateway.NewSignedChaincodeEventsRequest(unsigned.Bytes, signature).GetEventsAsync()) events.Add(e);

        var sent = SignedChaincodeEventsRequest.Parser.ParseFrom(fake.Calls.Single().Request);
        Assert.Equal(recorded.Request, sent.Request);
        Assert.Equal(signature, sent.Signature.ToByteArray());
        Assert.Single(events);
    }

    [Fact]
    public async Task Block_events_request_round_trip()
    {
        var (gateway, fake) = OfflineGateway();
        var block = Common.Block.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Vectors.Root, "blocks", "block-23.pb")));
        fake.OnStream("Deliver", _ => [new DeliverResponse { Block = block }]);
        var unsigned = gateway.GetNetwork("mychannel").NewBlockEventsRequest(new EventsOptions { StartBlock = 23 });
        var payload = Common.Envelope.Parser.ParseFrom(unsigned.Bytes).Payload;
        Assert.Equal(SHA256.HashData(payload.Span), unsigned.Digest);

        var signature = RemoteSigner.SignDigest(unsigned.Digest);
        var blocks = new List<Common.Block>();
        await foreach (var b in gateway.NewSignedBlockEventsRequest<Common.Block>(unsigned.Bytes, signature).GetBlocksAsync()) blocks.Add(b);

        var sent = Common.Envelope.Parser.ParseFrom(fake.Calls.Single().Request);
        Assert.Equal(payload, sent.Payload);
        Assert.Equal(signature, sent.Signature.ToByteArray());
        Assert.Equal(23ul, Assert.Single(blocks).Header.Number);
    }

    [Fact]
    public void Rebuilding_from_garbage_bytes_says_what_was_expected()
    {
        var (gateway, _) = OfflineGateway();
        var e = Assert.Throws<FormatException>(() => gateway.NewSignedTransaction([0xff, 0xff, 0xff], [1]));
        Assert.Contains("transaction", e.Message);
    }
}
