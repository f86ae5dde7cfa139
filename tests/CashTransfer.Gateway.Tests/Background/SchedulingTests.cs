using CashTransfer.Api;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Submission;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Contracts;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>
/// The submitter's scheduling as the running service does it: receipts that do not compete are worked on side by side,
/// receipts on one beneficiary (these tests' default) are decided in journal order, terminals take turns in claims, and
/// leases are respected and handed back on stop.
/// </summary>
public sealed class SchedulingTests
{
    private static GatewayFactory Start(int concurrency = 4, int batchSize = 64, string lease = "00:01:00", string? pollInterval = null) => new(settings: s =>
    {
        s["CashTransfer:Submitter:Concurrency"] = concurrency.ToString();
        s["CashTransfer:Submitter:BatchSize"] = batchSize.ToString();
        s["CashTransfer:Submitter:Lease"] = lease;
        s["CashTransfer:Submitter:BreakerMinimumThroughput"] = "1000"; // injected failures must not open the circuit here
        if (pollInterval is not null) s["CashTransfer:Submitter:PollInterval"] = pollInterval;
    });

    private static Task<List<SignedReceipt>> UploadAsync(TerminalFixture terminal, int count, string? beneficiary = null) =>
        UploadAsync(terminal, count, _ => beneficiary);

    private static async Task<List<SignedReceipt>> UploadAsync(TerminalFixture terminal, int count, Func<int, string?> beneficiary)
    {
        var receipts = Enumerable.Range(0, count).Select(i => terminal.Next(beneficiary: beneficiary(i))).ToList();
        Assert.Equal(HttpStatusCode.Accepted, (await terminal.UploadAsync(receipts)).StatusCode);
        return receipts;
    }

    private static Task AllCommittedAsync(GatewayFactory f, IEnumerable<SignedReceipt> receipts, string because) => Requests.EventuallyAsync(async () =>
        (await f.Get<OutboxRepository>().FindManyAsync(receipts.Select(r => r.Receipt.RedemptionId).ToList())).All(e => e.Status == ReceiptState.Committed), because);

    [Fact]
    public async Task A_slow_terminal_does_not_hold_back_receipts_of_other_terminals_that_arrive_meanwhile()
    {
        await using var f = Start();
        var slow = await TerminalFixture.RegisterAsync(f, "T-1");
        var other = await TerminalFixture.RegisterAsync(f, "T-2");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Ledger.BeforeRedeem = (r, ct) =>
        {
            if (r.TerminalId != "T-1") return Task.CompletedTask;
            entered.TrySetResult();
            return hold.Task.WaitAsync(ct);
        };

        var slowReceipts = await UploadAsync(slow, 2);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15)); // T-1's first receipt is being endorsed, and stays there
        // Another beneficiary: receipts on T-1's beneficiary would rightly wait for T-1's (they compete for one balance).
        var otherReceipts = await UploadAsync(other, 3, Beneficiaries.Two);
        await AllCommittedAsync(f, otherReceipts, "T-2's receipts commit while T-1's first is still held");
        Assert.Empty(f.Ledger.RedeemEffects.Keys.Intersect(slowReceipts.Select(r => r.Receipt.RedemptionId)));

        hold.SetResult();
        await AllCommittedAsync(f, slowReceipts, "T-1's receipts commit once the ledger answers");
        Assert.All(slowReceipts.Concat(otherReceipts), r => Assert.Equal(1, f.Ledger.RedeemEffects[r.Receipt.RedemptionId]));
    }

    [Fact]
    public async Task Each_terminals_receipts_commit_in_journal_order_even_when_one_must_wait_for_a_retry()
    {
        // Two slots and a share of two receipts per claim: three terminals' six receipts each go through several claims.
        await using var f = Start(concurrency: 2, batchSize: 4);
        var terminals = new List<TerminalFixture>();
        for (var t = 1; t <= 3; t++) terminals.Add(await TerminalFixture.RegisterAsync(f, $"T-{t}"));
        var failures = 0;
        f.Ledger.BeforeRedeem = (r, _) => r is { TerminalId: "T-1", Sequence: 2 } && Interlocked.Increment(ref failures) <= 4
            ? throw new LedgerUnavailableException("peer busy") // more than the in-process retries: the receipt waits for a later attempt
            : Task.CompletedTask;

        var uploaded = new List<SignedReceipt>();
        foreach (var terminal in terminals) uploaded.AddRange(await UploadAsync(terminal, 6));
        await AllCommittedAsync(f, uploaded, "every receipt commits");

        Assert.True(failures > 4, "T-1's second receipt was tried again after failing");
        var order = f.Ledger.CommitOrder.ToList();
        foreach (var terminal in terminals)
        {
            var committed = order.Where(r => r.TerminalId == terminal.TerminalId).Select(r => r.Sequence);
            Assert.Equal([1L, 2, 3, 4, 5, 6], committed);
        }
        Assert.All(uploaded, r => Assert.Equal(1, f.Ledger.RedeemEffects[r.Receipt.RedemptionId]));
    }

    [Fact]
    public async Task Slots_rotate_so_that_a_terminal_with_a_backlog_does_not_keep_the_only_slot()
    {
        await using var f = Start(concurrency: 1, batchSize: 2); // one slot, two receipts per claim
        var busy = await TerminalFixture.RegisterAsync(f, "T-1");
        var late = await TerminalFixture.RegisterAsync(f, "T-2");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Ledger.BeforeRedeem = (r, ct) => r.TerminalId == "T-1" ? hold.Task.WaitAsync(ct) : Task.CompletedTask;

        var backlog = await UploadAsync(busy, 10);
        var lateReceipts = await UploadAsync(late, 2); // arrives while T-1 has the slot
        hold.SetResult();
        await AllCommittedAsync(f, backlog.Concat(lateReceipts), "every receipt commits");

        var order = f.Ledger.CommitOrder.Select(r => (r.TerminalId, r.Sequence)).ToList();
        Assert.True(order.IndexOf(("T-2", 2)) < order.IndexOf(("T-1", 5)), $"T-2 waited for T-1's backlog: {string.Join(", ", order)}");
    }

    [Fact]
    public async Task A_terminal_is_not_claimed_again_while_its_worker_is_still_busy_past_the_lease()
    {
        await using var f = Start(lease: "00:00:00.200");
        var slow = await TerminalFixture.RegisterAsync(f, "T-1");
        var other = await TerminalFixture.RegisterAsync(f, "T-2");
        var endorsements = new ConcurrentDictionary<string, int>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Ledger.BeforeRedeem = async (r, ct) =>
        {
            endorsements.AddOrUpdate(r.RedemptionId, 1, (_, n) => n + 1);
            if (r.TerminalId != "T-1") return;
            entered.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct); // well past the lease, while other claims are made
        };

        var slowReceipts = await UploadAsync(slow, 2);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var otherReceipts = await UploadAsync(other, 3);
        await AllCommittedAsync(f, slowReceipts.Concat(otherReceipts), "every receipt commits");

        Assert.All(slowReceipts.Concat(otherReceipts), r => Assert.Equal(1, endorsements[r.Receipt.RedemptionId]));
        Assert.Equal([1L, 2], f.Ledger.CommitOrder.Where(r => r.TerminalId == "T-1").Select(r => r.Sequence));
    }

    [Fact]
    public async Task Stopping_hands_back_the_leases_of_the_receipts_it_did_not_finish()
    {
        await using var f = Start();
        var terminal = await TerminalFixture.RegisterAsync(f, "T-1");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Ledger.BeforeRedeem = async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct); // the ledger never answers; only the stop ends this
        };
        var receipts = await UploadAsync(terminal, 3);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var ids = receipts.Select(r => r.Receipt.RedemptionId).ToList();
        Assert.All(await f.Get<OutboxRepository>().FindManyAsync(ids), e => Assert.NotEqual(0, e.LeaseUntil)); // claimed

        await f.Get<OutboxSubmitter>().StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        var entries = await f.Get<OutboxRepository>().FindManyAsync(ids);
        Assert.All(entries, e => Assert.Equal((ReceiptState.Received, 0L), (e.Status, e.LeaseUntil)));
        Assert.Equal(3, (await f.Get<OutboxRepository>().ClaimDueAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), 10, "another-instance")).Count); // claimable again at once
    }

    [Fact]
    public async Task A_claim_that_took_every_ready_receipt_is_not_followed_by_a_claim_per_decided_receipt()
    {
        // The poll is an hour away, so every claim here is started by the upload or by a receipt's end.
        await using var f = Start(pollInterval: "01:00:00");
        var claims = new ConcurrentDictionary<string, int>();
        using var listener = ListenToClaims(f, claims);
        var terminal = await TerminalFixture.RegisterAsync(f, "T-1");

        var receipts = await UploadAsync(terminal, 20, Beneficiaries.Numbered);
        await AllCommittedAsync(f, receipts, "every receipt commits");

        Assert.True(claims.GetValueOrDefault("some") >= 1, "the upload's receipts were claimed");
        // At most the claim at start, before the upload: a decided receipt makes no other one ready.
        Assert.True(claims.GetValueOrDefault("none") <= 1, $"{claims.GetValueOrDefault("none")} claims found nothing");
    }

    [Fact]
    public async Task No_more_receipts_than_the_concurrency_are_at_the_ledger_at_once()
    {
        await using var f = Start(concurrency: 2);
        var terminal = await TerminalFixture.RegisterAsync(f, "T-1");
        int inside = 0, most = 0;
        f.Ledger.BeforeRedeem = async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Delay(30, ct);
            Interlocked.Decrement(ref inside);
        };

        var receipts = await UploadAsync(terminal, 12, Beneficiaries.Numbered);
        await AllCommittedAsync(f, receipts, "every receipt commits");

        Assert.Equal(2, most);
    }

    [Fact]
    public async Task A_receipt_whose_transaction_waits_to_be_stored_leaves_its_turn_at_the_ledger_to_another()
    {
        await using var f = Start(concurrency: 1);
        var terminal = await TerminalFixture.RegisterAsync(f, "T-1");
        var firstEndorsing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var letFirstGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Ledger.BeforeRedeem = (r, ct) =>
        {
            if (r.Sequence != 1) return Task.CompletedTask;
            firstEndorsing.TrySetResult();
            return letFirstGo.Task.WaitAsync(ct);
        };

        var receipts = await UploadAsync(terminal, 2, Beneficiaries.Numbered);
        await firstEndorsing.Task.WaitAsync(TimeSpan.FromSeconds(15));
        // Another writer holds the database: the first receipt's endorsed transaction cannot be stored yet.
        await using (var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(f.DataDirectory, "gateway.db")}"))
        {
            await writer.OpenAsync();
            using var hold = writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock
            letFirstGo.SetResult();
            await Requests.EventuallyAsync(() => Task.FromResult(f.Ledger.EndorsedReceipts.ContainsKey(receipts[1].Receipt.RedemptionId)),
                "the second receipt is endorsed while the first waits to store its transaction");
        }
        await AllCommittedAsync(f, receipts, "both commit once the database is free");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    private static MeterListener ListenToClaims(GatewayFactory f, ConcurrentDictionary<string, int> claims)
    {
        var meters = f.Get<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "cashtransfer.outbox.claims" && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "found") claims.AddOrUpdate((string)tag.Value!, (int)value, (_, n) => n + (int)value);
        });
        listener.Start();
        return listener;
    }
}
