using System.Net;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Contracts;
using CashTransfer.Pos.Journal;
using CashTransfer.Pos.Sync;
using Spectre.Console;

namespace CashTransfer.Cli.Demo;

/// <summary>What a demo run did, beside the invariants: expectations about particular receipts and requests.</summary>
public sealed record DemoRun(string RunId, int Receipts, IReadOnlyList<InvariantResult> Invariants, IReadOnlyList<InvariantResult> Expectations)
{
    public bool Passed => Invariants.All(i => i.Passed) && Expectations.All(e => e.Passed);
}

/// <summary>
/// Simulated POS terminals driving the gateway through the POS SDK. A new cycle of entitlements is issued; online
/// terminals send each sale as it happens (<c>POST /api/pos/redemptions</c>); offline terminals keep their signed,
/// hash-chained receipts in their journal for a while, then sync them in batches. One offline terminal loses the
/// acknowledgement of its first batch and sends it again with the same Idempotency-Key, then replays it with a new
/// key; another sells more than the beneficiary holds. WFP settles what it owes. Then the invariants are checked.
/// </summary>
public sealed class PosSimulation(string dataDirectory, Uri gateway, DemoAgency agency, IAnsiConsole console)
{
    private const int SalesPerTerminal = 8;
    private const long OverspendMinor = 50_000_000;
    private static readonly TimeSpan OutcomeWait = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ReadModelWait = TimeSpan.FromSeconds(30);

    public async Task<DemoRun> RunAsync(CancellationToken ct)
    {
        var runId = $"{DateTime.UtcNow:yyyyMMddHHmmss}";
        var expectations = new List<InvariantResult>();
        await console.Status().StartAsync($"Issuing entitlements, cycle run-{runId}", _ => DemoSeeder.IssueCycleAsync(dataDirectory, gateway, agency, $"run-{runId}", ct));

        var beneficiaries = DemoSeeder.BeneficiaryHashes(agency);
        var terminals = new List<SimulatedTerminal>();
        try
        {
            for (var t = 0; t < agency.Terminals.Count; t++)
            {
                var spec = agency.Terminals[t];
                var signer = DemoAgency.Signer(dataDirectory, spec.KeyFile);
                var journal = await OfflineJournal.OpenAsync(DemoAgency.Resolve(dataDirectory, spec.JournalFile), spec.TerminalId, signer);
                var api = DemoClients.Connect(gateway, dataDirectory, DemoAgency.TerminalKeyId(spec.TerminalId), spec.KeyFile);
                var served = beneficiaries.Where((_, i) => i % agency.Terminals.Count == t).ToList();
                terminals.Add(new SimulatedTerminal(spec, journal, api, signer, served));
            }
            var runReceipts = new HashSet<string>(StringComparer.Ordinal);
            await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).StartAsync(async progress =>
            {
                var bars = terminals.ToDictionary(t => t, t => progress.AddTask($"{t.Spec.TerminalId} ({(t.Spec.StaysOnline ? "online" : "offline, then sync")})", maxValue: SalesPerTerminal));
                var results = await Task.WhenAll(terminals.Select((t, i) => Task.Run(() => TradeAsync(t, i, bars[t], ct), ct)));
                foreach (var r in results) { runReceipts.UnionWith(r.Receipts); expectations.AddRange(r.Expectations); }

                var outcomes = progress.AddTask("outcomes final (committed or rejected)", maxValue: runReceipts.Count);
                var deadline = DateTimeOffset.UtcNow + OutcomeWait;
                while (true)
                {
                    var final = 0;
                    foreach (var t in terminals)
                    {
                        await new SyncClient(t.Api, t.Journal).FetchOutcomesAsync(ct);
                        final += (await t.Journal.OutcomesAsync(ct)).Count(o => runReceipts.Contains(o.RedemptionId) && ReceiptLifecycle.IsFinal(o.Status));
                    }
                    outcomes.Value = final;
                    if (final == runReceipts.Count || DateTimeOffset.UtcNow > deadline) break;
                    await Task.Delay(500, ct);
                }
            });

            expectations.Add(await SettleAsync(runId, ct));
            using var auditor = DemoClients.Connect(gateway, dataDirectory, agency.Auditor);
            var collector = new SnapshotCollector(auditor, agency);
            var journals = terminals.Select(t => (t.Journal, t.Api)).ToList();
            var overspend = await OverspendExpectationAsync(terminals, ct);
            expectations.Add(overspend);

            // The read models follow the ledger through chaincode events: give the projection a moment before judging them.
            IReadOnlyList<InvariantResult> invariants = [];
            var readDeadline = DateTimeOffset.UtcNow + ReadModelWait;
            await console.Status().StartAsync("Checking the ledger's invariants", async _ =>
            {
                do
                {
                    invariants = InvariantChecker.Check(await collector.CollectAsync(journals, runReceipts, ct));
                    if (invariants.All(i => i.Passed)) break;
                    await Task.Delay(1000, ct);
                } while (DateTimeOffset.UtcNow < readDeadline);
            });
            return new DemoRun(runId, runReceipts.Count, invariants, expectations);
        }
        finally
        {
            foreach (var t in terminals) await t.DisposeAsync();
        }
    }

    private sealed record TradeResult(IReadOnlyList<string> Receipts, IReadOnlyList<InvariantResult> Expectations);

    private async Task<TradeResult> TradeAsync(SimulatedTerminal t, int index, ProgressTask bar, CancellationToken ct)
    {
        var receipts = new List<string>();
        var expectations = new List<InvariantResult>();
        var overspends = index == 4; // the fifth terminal sells more than its beneficiary holds
        for (var sale = 0; sale < SalesPerTerminal; sale++)
        {
            var beneficiary = t.Beneficiaries[sale % t.Beneficiaries.Count];
            var amount = overspends && sale == SalesPerTerminal / 2 ? OverspendMinor : 500 + (index * 7 + sale * 13) % 20 * 100;
            // Every third sale is hygiene, which only the UNHCR cash entitlement may pay (the WFP voucher is food only).
            var category = sale % 3 == 2 ? "hygiene" : "food";
            var receipt = await t.Journal.RecordSaleAsync(beneficiary, new Money(amount, agency.Currency), category, ct: ct);
            receipts.Add(receipt.Receipt.RedemptionId);
            if (amount == OverspendMinor) t.OverspendId = receipt.Receipt.RedemptionId;
            if (t.Spec.StaysOnline) await SendOnlineAsync(t, ct);
            else await Task.Delay(150, ct); // offline for a while: the sale only goes into the journal
            bar.Increment(1);
        }
        if (!t.Spec.StaysOnline)
        {
            if (index == 3) expectations.AddRange(await RepeatFirstBatchAsync(t, ct));
            await new SyncClient(t.Api, t.Journal, new SyncOptions { MaxBatchReceipts = 3, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(5) }).SyncAsync(ct);
        }
        return new TradeResult(receipts, expectations);
    }

    /// <summary>An online sale: the journal's next batch (this one receipt, with its own Idempotency-Key) sent to the online endpoint, then acknowledged.</summary>
    private static async Task SendOnlineAsync(SimulatedTerminal t, CancellationToken ct)
    {
        var batch = await t.Journal.NextBatchAsync(1, ct) ?? throw new InvalidOperationException("The sale just recorded is not in the journal.");
        await t.Api.Pos.RedeemAsync(batch.Receipts[0], batch.IdempotencyKey, ct);
        await t.Journal.AcknowledgeAsync(batch, ct);
    }

    /// <summary>
    /// The first batch is stored by the gateway but its acknowledgement is "lost": the terminal sends it again with the
    /// same Idempotency-Key (the stored answer comes back, marked replayed), then once more under a new key (refused as a
    /// replay). Neither may add a receipt; the invariants check that.
    /// </summary>
    private static async Task<IReadOnlyList<InvariantResult>> RepeatFirstBatchAsync(SimulatedTerminal t, CancellationToken ct)
    {
        var batch = await t.Journal.NextBatchAsync(3, ct);
        if (batch is null) return [];
        var body = new ReceiptBatch(t.Spec.TerminalId, batch.Receipts);
        await t.Api.Pos.UploadReceiptBatchAsync(body, batch.IdempotencyKey, ct);
        var again = await t.Api.Pos.UploadReceiptBatchAsync(body, batch.IdempotencyKey, ct);
        var sameKey = new InvariantResult($"{t.Spec.TerminalId}: a batch sent again with its Idempotency-Key gets the stored answer",
            again.Status == HttpStatusCode.Accepted && again.Replayed, $"{(int)again.Status}, replayed header {(again.Replayed ? "present" : "absent")}");
        string replayOutcome;
        try
        {
            var replay = await t.Api.Pos.UploadReceiptBatchAsync(body, $"{batch.IdempotencyKey}:replay", ct);
            replayOutcome = $"{(int)replay.Status} accepted";
        }
        catch (ServiceProblemException e)
        {
            replayOutcome = $"{(int)e.Status} {e.ProblemType}";
        }
        var newKey = new InvariantResult($"{t.Spec.TerminalId}: the same receipts under a new key are refused as a replay",
            replayOutcome == $"409 {ProblemTypes.ReceiptReplayed}", replayOutcome);
        await t.Journal.AcknowledgeAsync(batch, ct);
        return [sameKey, newKey];
    }

    private async Task<InvariantResult> OverspendExpectationAsync(IReadOnlyList<SimulatedTerminal> terminals, CancellationToken ct)
    {
        var owner = terminals.FirstOrDefault(t => t.OverspendId is not null);
        if (owner is null) return new("the overspend is rejected with InsufficientBalance", false, "no terminal made the overspend");
        var outcome = (await owner.Journal.OutcomesAsync(ct)).Single(o => o.RedemptionId == owner.OverspendId);
        return new($"the overspend ({owner.Spec.TerminalId}) is rejected with InsufficientBalance",
            outcome.Status == ReceiptState.Rejected && outcome.Reason == "InsufficientBalance", $"{outcome.Status} {outcome.Reason}");
    }

    /// <summary>WFP settles what it owes the retailer up to now; UNHCR does not, so that payables remain to compare.</summary>
    private async Task<InvariantResult> SettleAsync(string runId, CancellationToken ct)
    {
        using var wfp = DemoClients.Connect(gateway, dataDirectory, agency.Operator("WFPMSP"));
        var id = $"demo-{runId}-wfp";
        // The cut-off trails the clock by 2 s (the ledger refuses one ahead of its own clock). Wait that long first, so
        // that every sale so far is before it: a fast run otherwise found nothing to settle (409) and settled nothing.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        try
        {
            var settled = await wfp.Operator.SettleAsync(new SettlementRequestDto(id, agency.RetailerId, DateTimeOffset.UtcNow.AddSeconds(-2), $"demo-transfer-{runId}"), $"settle/{id}", ct);
            if (settled.Status == HttpStatusCode.Created)
            {
                agency = agency with { Settlements = [.. agency.Settlements, id] };
                var saved = (DemoAgency.TryLoad(dataDirectory) ?? agency) with { Settlements = agency.Settlements };
                saved.Save(dataDirectory);
            }
            return new InvariantResult("WFP settles its payables to the retailer", true, $"{(int)settled.Status} {id}");
        }
        catch (ConflictException e)
        {
            return new InvariantResult("WFP settles its payables to the retailer", true, $"409 {e.Detail}");
        }
    }

    private sealed class SimulatedTerminal(DemoTerminalSpec spec, OfflineJournal journal, CashTransferClient api, IDisposable signer, IReadOnlyList<string> beneficiaries) : IAsyncDisposable
    {
        public DemoTerminalSpec Spec { get; } = spec;
        public OfflineJournal Journal { get; } = journal;
        public CashTransferClient Api { get; } = api;
        public IReadOnlyList<string> Beneficiaries { get; } = beneficiaries;
        public string? OverspendId { get; set; }

        public async ValueTask DisposeAsync()
        {
            await Journal.DisposeAsync();
            Api.Dispose();
            signer.Dispose();
        }
    }
}
