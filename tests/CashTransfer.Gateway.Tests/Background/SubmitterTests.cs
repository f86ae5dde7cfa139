using CashTransfer.Api;
using System.Net;
using System.Text.Json;
using Dapper;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Submission;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>The outbox submitter: every receipt ends committed or rejected exactly once, whatever the ledger does meanwhile.</summary>
public sealed class SubmitterTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new(background: false, settings: s =>
    {
        s["CashTransfer:Submitter:BreakerMinimumThroughput"] = "2";
        s["CashTransfer:Submitter:BreakerBreakDuration"] = "00:00:01";
        s["CashTransfer:Submitter:RetryAttempts"] = "1";
    });
    private TerminalFixture _t = null!;

    public async Task InitializeAsync() => _t = await TerminalFixture.RegisterAsync(_f);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private OutboxSubmitter Submitter => _f.Get<OutboxSubmitter>();
    private OutboxRepository Outbox => _f.Get<OutboxRepository>();
    private int RedeemEndorsements => _f.Ledger.Calls.Count(c => c.What == ChaincodeFunctions.Redeem);

    private async Task<List<string>> UploadAsync(int count)
    {
        var receipts = _t.Next(count);
        Assert.Equal(HttpStatusCode.Accepted, (await _t.UploadAsync(receipts)).StatusCode);
        return receipts.Select(r => r.Receipt.RedemptionId).ToList();
    }

    private async Task DrainAsync(IReadOnlyList<string> ids)
    {
        await Requests.EventuallyAsync(async () =>
        {
            await Submitter.RunOnceAsync(CancellationToken.None);
            return (await Outbox.FindManyAsync(ids)).All(e => e.Status is ReceiptState.Committed or ReceiptState.Rejected);
        }, "every receipt is committed or rejected");
    }

    /// <summary>One receipt taken through a first attempt whose transaction commits but whose submit answer is lost.</summary>
    private async Task<(List<string> Ids, OutboxEntry Entry)> OneReceiptWhoseSubmitAnswerIsLostAsync()
    {
        _f.Ledger.LostSubmitAnswers = 1;
        var ids = await UploadAsync(1);
        await Submitter.RunOnceAsync(CancellationToken.None);
        return (ids, (await Outbox.FindAsync(ids[0]))!);
    }

    [Fact]
    public async Task Receipts_are_committed_once_each_with_the_gateway_identity()
    {
        var ids = await UploadAsync(5);
        await DrainAsync(ids);
        var entries = await Outbox.FindManyAsync(ids);
        Assert.All(entries, e => Assert.Equal(ReceiptState.Committed, e.Status));
        Assert.All(entries, e => Assert.Contains("\"status\":\"Accepted\"", e.Outcome));
        Assert.All(ids, id => Assert.Equal(1, _f.Ledger.RedeemEffects[id]));
        Assert.All(_f.Ledger.Calls.Where(c => c.What == ChaincodeFunctions.Redeem), c => Assert.Equal(new LedgerCaller("Org1MSP", "gateway"), c.Caller));
        Assert.Equal(5, RedeemEndorsements);
    }

    [Fact]
    public async Task Endorsements_that_differ_between_two_agencies_peers_are_endorsed_again_not_rejected()
    {
        // What Fabric.Client raises when Fabric 2.5's gateway gives up on two peers' differing endorsements.
        var mismatches = 3;
        _f.Ledger.BeforeRedeem = (_, _) => Interlocked.Decrement(ref mismatches) >= 0
            ? throw CashTransfer.Gateway.Ledger.Fabric.FabricLedgerGateway.Map(new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.Aborted, "failed to collect enough transaction endorsements, see attached details for more info")))
            : Task.CompletedTask;
        var ids = await UploadAsync(2);
        await DrainAsync(ids);
        Assert.All(await Outbox.FindManyAsync(ids), e => Assert.Equal(ReceiptState.Committed, e.Status));
        Assert.All(ids, id => Assert.Equal(1, _f.Ledger.RedeemEffects[id]));
        Assert.Equal(2 + 3, RedeemEndorsements);
    }

    [Fact]
    public void A_mismatch_is_transient_but_a_chaincode_refusal_is_not()
    {
        var mismatch = CashTransfer.Gateway.Ledger.Fabric.FabricLedgerGateway.Map(new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.Aborted, "failed to collect enough transaction endorsements, see attached details for more info")));
        Assert.IsType<EndorsementMismatchException>(mismatch);
        Assert.True(mismatch.IsTransient);
        var refusal = CashTransfer.Gateway.Ledger.Fabric.FabricLedgerGateway.Map(new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.Aborted, "failed to endorse transaction: chaincode response 409, redemption id taken")));
        Assert.Equal((409, false), (Assert.IsType<ChaincodeRejectedException>(refusal).Status, refusal.IsTransient));
    }

    [Fact]
    public async Task A_rejection_recorded_on_the_ledger_reaches_the_terminal_with_its_reason()
    {
        _f.Ledger.RedeemRule = _ => "InsufficientBalance";
        var ids = await UploadAsync(1);
        await DrainAsync(ids);
        var outcome = await (await _t.Http.GetAsync($"api/pos/outcomes/{ids[0]}")).JsonAsync();
        Assert.Equal("rejected", outcome.GetProperty("status").GetString());
        Assert.Equal("InsufficientBalance", outcome.GetProperty("reason").GetString());
        Assert.True(_f.Ledger.Redemptions.ContainsKey(ids[0])); // the rejection is on the ledger
    }

    [Fact]
    public async Task A_receipt_the_chaincode_refuses_to_record_is_rejected_without_retrying()
    {
        _f.Ledger.RedeemRefusal = _ => new ChaincodeRejectedException(401, "The signature does not verify with terminal T-1's registered key.");
        var ids = await UploadAsync(1);
        await DrainAsync(ids);
        var entry = (await Outbox.FindAsync(ids[0]))!;
        Assert.Equal((ReceiptState.Rejected, "Refused401"), (entry.Status, entry.Reason));
        Assert.Equal(1, RedeemEndorsements);
        Assert.Equal(0, _f.Ledger.Count("submit") - 1); // only the terminal registration was submitted
    }

    [Fact]
    public async Task An_mvcc_conflict_is_endorsed_afresh_and_commits_once()
    {
        _f.Ledger.ConflictsToInject = 1;
        var ids = await UploadAsync(1);
        await DrainAsync(ids);
        Assert.Equal(ReceiptState.Committed, (await Outbox.FindAsync(ids[0]))!.Status);
        Assert.Equal(2, RedeemEndorsements);
        Assert.Equal(1, _f.Ledger.RedeemEffects[ids[0]]);
    }

    [Fact]
    public async Task After_an_unknown_outcome_the_commit_status_is_checked_before_anything_is_sent_again()
    {
        var (ids, entry) = await OneReceiptWhoseSubmitAnswerIsLostAsync();
        Assert.Equal(ReceiptState.Received, entry.Status);
        Assert.NotNull(entry.TxId);
        Assert.Contains("lost", entry.LastError);

        await DrainAsync(ids);
        Assert.Equal(ReceiptState.Committed, (await Outbox.FindAsync(ids[0]))!.Status);
        Assert.Equal(1, _f.Ledger.Calls.Count(c => c.Step == "submit" && c.What == entry.TxId));
        Assert.Equal(1, RedeemEndorsements);
        var calls = _f.Ledger.Calls.Where(c => c.What == entry.TxId).Select(c => c.Step).ToList();
        Assert.Equal("status", calls[1]); // after the lost answer, a status check came first
    }

    [Fact]
    public async Task A_transaction_an_earlier_version_stored_as_json_is_checked_and_resent_not_endorsed_again()
    {
        var (ids, entry) = await OneReceiptWhoseSubmitAnswerIsLostAsync();
        Assert.NotNull(entry.PreparedEnvelope);
        // Left in flight by a version before migration 0007, which kept the transaction as JSON holding base64.
        var json = JsonSerializer.Serialize(new { txId = entry.TxId, envelope = Convert.ToBase64String(entry.PreparedEnvelope), result = Convert.ToBase64String(entry.PreparedResult!) });
        await using (var connection = await _f.Get<IDatabase>().OpenAsync())
            await connection.ExecuteAsync("UPDATE outbox SET prepared_tx = @json, prepared_envelope = NULL, prepared_result = NULL WHERE redemption_id = @id", new { json, id = ids[0] });

        await DrainAsync(ids);
        Assert.Equal(ReceiptState.Committed, (await Outbox.FindAsync(ids[0]))!.Status);
        Assert.Equal(1, RedeemEndorsements); // the stored transaction, not a new endorsement
        Assert.Equal(["submit", "status"], _f.Ledger.Calls.Where(c => c.What == entry.TxId).Select(c => c.Step));
    }

    [Fact]
    public async Task A_submit_that_never_reached_the_orderer_is_resent_unchanged()
    {
        _f.Ledger.FailedSubmits = 1;
        var ids = await UploadAsync(1);
        await DrainAsync(ids);
        var entry = (await Outbox.FindAsync(ids[0]))!;
        Assert.Equal(ReceiptState.Committed, entry.Status);
        Assert.Equal(["submit", "status", "submit", "status"], _f.Ledger.Calls.Where(c => c.What == entry.TxId).Select(c => c.Step));
        Assert.Equal(1, RedeemEndorsements); // the same transaction, not a new endorsement
        Assert.Equal(1, _f.Ledger.RedeemEffects[ids[0]]);
    }

    [Fact]
    public async Task The_circuit_opens_while_the_ledger_is_unreachable_and_receipts_wait_in_the_outbox()
    {
        var ids = await UploadAsync(4);
        var pipelines = _f.Get<LedgerPipelines>();
        _f.Ledger.Unavailable = true;
        await Requests.EventuallyAsync(async () =>
        {
            await Submitter.RunOnceAsync(CancellationToken.None);
            return pipelines.LedgerUnreachable;
        }, "the circuit opens");
        var callsWhenOpened = _f.Ledger.Calls.Count;
        for (int i = 0; i < 5; i++) Assert.Equal(0, await Submitter.RunOnceAsync(CancellationToken.None));
        Assert.Equal(callsWhenOpened, _f.Ledger.Calls.Count); // no calls while open
        using (var http = _f.CreateClient())
            Assert.Contains("Degraded", await (await http.GetAsync("/ready")).Content.ReadAsStringAsync());
        Assert.All(await Outbox.FindManyAsync(ids), e => Assert.Equal(ReceiptState.Received, e.Status));

        _f.Ledger.Unavailable = false;
        await DrainAsync(ids);
        Assert.All(await Outbox.FindManyAsync(ids), e => Assert.Equal(ReceiptState.Committed, e.Status));
        Assert.All(ids, id => Assert.Equal(1, _f.Ledger.RedeemEffects[id]));
    }
}
