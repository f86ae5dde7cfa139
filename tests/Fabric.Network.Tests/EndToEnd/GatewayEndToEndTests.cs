using Fabric.Protocol.Ledger;
using Fabric.Protocol.Transactions;
using Common;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Network.Blocks;
using Fabric.Network.Gateway;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>Client -> peer Gateway (TLS) -> endorsing peers -> chaincode over CCaaS -> orderer -> committer -> commit status and events.</summary>
public class GatewayEndToEndTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    [Fact]
    public async Task Submit_commits_with_a_majority_of_agencies_endorsing_and_evaluate_reads_it()
    {
        using var client = fixture.Client();
        var (txId, status, endorsed) = await client.SubmitTransactionAsync("put", "asset1", "v1");
        Assert.Equal(TxValidationCode.Valid, status.Result);
        Assert.True(status.BlockNumber >= 1);

        var tx = TransactionEnvelope.Parse(fixture.Network.Ledger.GetBlock(status.BlockNumber).Data.Data.First(d => TransactionEnvelope.Parse(d).TransactionId == txId));
        Assert.Equal(2, tx.SingleAction()!.Endorsements.Count); // MAJORITY of three agencies
        Assert.True(endorsed.PreparedTransaction.Signature.IsEmpty);
        Assert.Equal("Put", tx.SingleAction()!.Event!.EventName);
        Assert.Equal(txId, tx.SingleAction()!.Event!.TxId);

        var read = await client.EvaluateAsync("get", "asset1");
        Assert.Equal(200, read.Status);
        Assert.Equal("v1", read.Payload.ToStringUtf8());
        // Each agency's peer opened its own Connect stream to the chaincode.
        Assert.True(fixture.Chaincode.Connections >= 2);
    }

    [Fact]
    public async Task A_chaincode_error_on_endorse_is_ABORTED_with_the_peers_error_detail()
    {
        using var client = fixture.Client();
        var e = await Assert.ThrowsAsync<RpcException>(() => client.EndorseAsync(client.Proposal("fail", "asset2")));
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal("failed to endorse transaction, see attached details for more info", e.Status.Detail);
        var detail = Assert.Single(e.GetStatusDetails()!.Details).Unpack<ErrorDetail>();
        Assert.Equal(fixture.Network.Peers[0].Address, detail.Address);
        Assert.Equal("WFPMSP", detail.MspId);
        Assert.Equal("chaincode response 500, deliberate failure after reading asset2", detail.Message);
    }

    [Fact]
    public async Task A_chaincode_error_on_evaluate_is_UNKNOWN_and_a_peer_side_error_names_the_request()
    {
        using var client = fixture.Client();
        var e = await Assert.ThrowsAsync<RpcException>(() => client.EvaluateAsync("get", "missing"));
        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        Assert.Equal("evaluate call to endorser returned error: chaincode response 500, missing does not exist", e.Status.Detail);
        Assert.Equal("WFPMSP", e.GetStatusDetails()!.Details[0].Unpack<ErrorDetail>().MspId);

        // GET_QUERY_RESULT is answered with an ERROR message, which the chaincode turns into status 500.
        var rich = await Assert.ThrowsAsync<RpcException>(() => client.EvaluateAsync("rich", "{}"));
        Assert.Contains("GET_QUERY_RESULT failed: transaction ID: ", rich.Status.Detail);
        Assert.EndsWith("ExecuteQuery not supported for leveldb", rich.Status.Detail);
    }

    [Fact]
    public async Task Two_concurrent_increments_end_VALID_and_MVCC_READ_CONFLICT()
    {
        using var client = fixture.Client();
        await client.SubmitTransactionAsync("put", "counter", "5");
        var a = client.Proposal("incr", "counter");
        var b = client.Proposal("incr", "counter");
        var endorsedA = await client.EndorseAsync(a);
        var endorsedB = await client.EndorseAsync(b);
        var (idA, idB) = (TestGatewayClient.TxId(a), TestGatewayClient.TxId(b));
        await Task.WhenAll(client.SubmitAsync(idA, client.Sign(endorsedA.PreparedTransaction)), client.SubmitAsync(idB, client.Sign(endorsedB.PreparedTransaction)));
        var statusA = await client.CommitStatusAsync(idA);
        var statusB = await client.CommitStatusAsync(idB);
        Assert.Equal(new[] { TxValidationCode.Valid, TxValidationCode.MvccReadConflict }, new[] { statusA.Result, statusB.Result }.Order());
        Assert.Equal(statusA.BlockNumber, statusB.BlockNumber);
        Assert.Equal("6", (await client.EvaluateAsync("get", "counter")).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Proposals_with_a_bad_signature_a_peer_identity_or_a_used_txid_are_refused()
    {
        using var client = fixture.Client();
        var proposal = client.Proposal("put", "k", "v");
        var tampered = proposal.Clone();
        var sig = tampered.Signature.ToByteArray();
        sig[^1] ^= 1;
        tampered.Signature = ByteString.CopyFrom(sig);
        var bad = await Assert.ThrowsAsync<RpcException>(() => client.EndorseAsync(tampered));
        Assert.Equal(StatusCode.Aborted, bad.StatusCode);
        Assert.Contains("access denied", bad.GetStatusDetails()!.Details[0].Unpack<ErrorDetail>().Message);

        // A peer identity may not submit proposals (channel Writers are clients and admins).
        using var asPeer = new TestGatewayClient(fixture.Network, fixture.Network.Peers[0], fixture.Network.Crypto.PeerOrganizations[0].Node);
        var denied = await Assert.ThrowsAsync<RpcException>(() => asPeer.EndorseAsync(asPeer.Proposal("put", "k", "v")));
        Assert.Contains("access denied: channel [cashtransfer] creator org [WFPMSP]", denied.GetStatusDetails()!.Details[0].Unpack<ErrorDetail>().Message);

        // Once committed, the same proposal is a duplicate; resubmitting the same envelope commits as DUPLICATE_TXID.
        var txId = TestGatewayClient.TxId(proposal);
        var endorsed = await client.EndorseAsync(proposal);
        var signed = client.Sign(endorsed.PreparedTransaction);
        await client.SubmitAsync(txId, signed);
        Assert.Equal(TxValidationCode.Valid, (await client.CommitStatusAsync(txId)).Result);
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => client.EndorseAsync(proposal));
        Assert.Contains("duplicate transaction found", duplicate.GetStatusDetails()!.Details[0].Unpack<ErrorDetail>().Message);
        var heightBefore = fixture.Network.Ledger.Height;
        await client.SubmitAsync(txId, signed);
        await fixture.Network.Ledger.WaitForHeightAsync(heightBefore + 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var block = fixture.Network.Ledger.GetBlock(heightBefore);
        var codes = BlockEvents.Transactions(block).Where(t => t.Tx?.TransactionId == txId).Select(t => t.Code).ToList();
        Assert.Equal([TxValidationCode.DuplicateTxid], codes);
    }

    [Fact]
    public async Task Submit_refuses_unsigned_and_foreign_signed_transactions()
    {
        using var client = fixture.Client();
        var proposal = client.Proposal("put", "s", "1");
        var endorsed = await client.EndorseAsync(proposal);
        var unsigned = await Assert.ThrowsAsync<RpcException>(() => client.SubmitAsync(TestGatewayClient.TxId(proposal), endorsed.PreparedTransaction));
        Assert.Equal(StatusCode.InvalidArgument, unsigned.StatusCode);
        Assert.Equal("prepared transaction must be signed", unsigned.Status.Detail);

        var wrongSigner = endorsed.PreparedTransaction.Clone();
        using (var signer = fixture.Network.Client("UNHCRMSP").CreateSigner()) wrongSigner.Signature = ByteString.CopyFrom(signer.Sign(wrongSigner.Payload.Span));
        var forbidden = await Assert.ThrowsAsync<RpcException>(() => client.SubmitAsync(TestGatewayClient.TxId(proposal), wrongSigner));
        Assert.Equal(StatusCode.Aborted, forbidden.StatusCode);
        Assert.StartsWith("received unsuccessful response from orderer: status=FORBIDDEN", forbidden.Status.Detail);
    }

    [Fact]
    public async Task A_signed_transaction_whose_data_is_malformed_is_ordered_and_marked_BAD_PAYLOAD_as_Fabric_does()
    {
        using var client = fixture.Client();
        var proposal = client.Proposal("put", "bad-data", "1");
        var endorsed = await client.EndorseAsync(proposal);
        // Fabric's orderer checks the headers and the creator's signature, not the transaction inside: the peers do.
        var payload = Payload.Parser.ParseFrom(endorsed.PreparedTransaction.Payload);
        payload.Data = ByteString.CopyFrom(0x0A, 0xFF, 0x01);
        var broken = client.Sign(new Envelope { Payload = payload.ToByteString() });
        var heightBefore = fixture.Network.Ledger.Height;

        await client.SubmitAsync(TestGatewayClient.TxId(proposal), broken);

        await fixture.Network.Ledger.WaitForHeightAsync(heightBefore + 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var block = fixture.Network.Ledger.GetBlock(heightBefore);
        var index = block.Data.Data.IndexOf(broken.ToByteString());
        Assert.True(index >= 0, "the malformed transaction was not ordered into the next block");
        Assert.Equal((byte)TxValidationCode.BadPayload, block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter][index]);

        // Headers the orderer cannot read are still refused at submit.
        var headless = client.Sign(new Envelope { Payload = new Payload { Data = payload.Data }.ToByteString() });
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SubmitAsync(TestGatewayClient.TxId(proposal), headless));
        Assert.Equal(StatusCode.Aborted, refused.StatusCode);
        Assert.Contains("bad envelope: Payload.header", refused.Status.Detail);
    }

    [Fact]
    public async Task Key_level_policy_set_by_the_chaincode_decides_who_must_endorse()
    {
        using var client = fixture.Client();
        await client.SubmitTransactionAsync("put", "guarded", "v0");
        var (_, guard, _) = await client.SubmitTransactionAsync("guard", "guarded", "UNHCRMSP");
        Assert.Equal(TxValidationCode.Valid, guard.Result);
        // The gateway plans endorsers from the key-level policy: UNHCR must be among them.
        var (txId, status, _) = await client.SubmitTransactionAsync("put", "guarded", "v1");
        Assert.Equal(TxValidationCode.Valid, status.Result);
        var tx = BlockTransactions.Read(fixture.Network.Ledger.GetBlock(status.BlockNumber)).Single(t => t.Envelope.TransactionId == txId).Envelope;
        var endorsers = tx.SingleAction()!.Endorsements.Select(e => Msp.SerializedIdentity.Parser.ParseFrom(e.Endorser).Mspid).ToList();
        Assert.Contains("UNHCRMSP", endorsers);

        // Explicit endorsers without UNHCR pass endorsement but fail validation.
        var proposal = client.Proposal("put", "guarded", "v2");
        var endorsed = await client.EndorseAsync(proposal, "WFPMSP", "UNWomenMSP");
        await client.SubmitAsync(TestGatewayClient.TxId(proposal), client.Sign(endorsed.PreparedTransaction));
        Assert.Equal(TxValidationCode.EndorsementPolicyFailure, (await client.CommitStatusAsync(TestGatewayClient.TxId(proposal))).Result);
    }

    [Fact]
    public async Task Range_queries_over_more_than_one_batch_commit_and_history_is_newest_first()
    {
        using var client = fixture.Client();
        Assert.Equal(TxValidationCode.Valid, (await client.SubmitTransactionAsync("bulk", "bulk:", "130")).Status.Result);
        var (txId, status, _) = await client.SubmitTransactionAsync("count", "bulk:", "bulk;", "bulk-count");
        Assert.Equal(TxValidationCode.Valid, status.Result);
        Assert.Equal("130", (await client.EvaluateAsync("get", "bulk-count")).Payload.ToStringUtf8());
        var tx = BlockTransactions.Read(fixture.Network.Ledger.GetBlock(status.BlockNumber)).Single(t => t.Envelope.TransactionId == txId).Envelope;
        var range = tx.SingleAction()!.Namespaces.Single().Set.RangeQueriesInfo.Single();
        Assert.True(range.ItrExhausted);
        Assert.NotNull(range.ReadsMerkleHashes); // 130 results > 50: summarised as Fabric does

        await client.SubmitTransactionAsync("put", "h", "1");
        await client.SubmitTransactionAsync("put", "h", "2");
        Assert.Equal("2,1", (await client.EvaluateAsync("history", "h")).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Another_agencys_gateway_serves_the_same_ledger()
    {
        using var wfp = fixture.Client(0);
        using var unhcr = fixture.Client(2);
        await wfp.SubmitTransactionAsync("put", "shared", "from-wfp");
        Assert.Equal("from-wfp", (await unhcr.EvaluateAsync("get", "shared")).Payload.ToStringUtf8());
        var (_, status, _) = await unhcr.SubmitTransactionAsync("put", "shared", "from-unhcr");
        Assert.Equal(TxValidationCode.Valid, status.Result);
    }
}
