using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Matching;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sorting;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Reconciliation;

/// <summary>What one run reads: the ledger, any number of terminal journals, and optionally a payment statement.</summary>
public sealed record ReconciliationInputs(ILedgerSource Ledger, IReadOnlyList<IJournalSource> Journals, PaymentStatement? Payments = null,
    IReceiptResubmitter? Resubmitter = null);

/// <summary>Tuning: where sort runs and findings spill, how many rows a sort run holds, how far before the period journal receipts are read.</summary>
public sealed record ReconciliationOptions(string WorkDirectory, int SortRunSize = 200_000, TimeSpan? JournalLookBack = null)
{
    /// <summary>A receipt made this long before the period may have reached the ledger inside it (a terminal offline for days).</summary>
    public TimeSpan LookBack => JournalLookBack ?? TimeSpan.FromDays(7);
}

/// <summary>
/// A three-way reconciliation of one period: ledger redemptions against the terminals' journals (matched by
/// redemption id after an external sort of both sides, then each terminal's hash chain in sequence order), the
/// ledger's settlements against a payment statement, and the ledger's own invariants. Every difference is a
/// <see cref="Finding"/>; memory stays bounded by the sort run size, whatever the period's size.
/// </summary>
public sealed class ReconciliationEngine(ReconciliationOptions options)
{
    public async Task<ReconciliationResult> RunAsync(ReconciliationScope scope, ReconciliationInputs inputs, IProgress<ReconciliationProgress>? progress = null,
        CancellationToken ct = default)
    {
        scope.Validate();
        var startedAt = DateTimeOffset.UtcNow;
        var work = Path.Combine(options.WorkDirectory, $"reconciliation-{Guid.NewGuid():N}");
        var findings = new FindingStore(work);
        try
        {
            var run = new Run(scope, inputs, options, work, findings, progress);
            var counts = await run.ExecuteAsync(ct);
            var sources = new List<string> { "ledger" };
            sources.AddRange(inputs.Journals.Select(j => j.Name));
            if (inputs.Payments is not null) sources.Add(inputs.Payments.Name);
            return new ReconciliationResult(scope, sources, startedAt, DateTimeOffset.UtcNow, counts, run.Figures, findings);
        }
        catch
        {
            findings.Dispose();
            throw;
        }
    }

    /// <summary>One run's state: the sorters, the terminal cache and the running figures.</summary>
    private sealed class Run(ReconciliationScope scope, ReconciliationInputs inputs, ReconciliationOptions options, string work, FindingStore findings,
        IProgress<ReconciliationProgress>? progress)
    {
        private readonly Dictionary<string, LedgerTerminal?> _terminals = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _retailers = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _programmes = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, long> _redeemed = new(StringComparer.Ordinal);

        public ReportFigures Figures { get; } = new();

        public async Task<ReconciliationCounts> ExecuteAsync(CancellationToken ct)
        {
            if (scope.RetailerId is not null) _retailers.Add(scope.RetailerId);
            if (scope.ProgrammeId is not null) _programmes.Add(scope.ProgrammeId);
            using var ledgerById = new ExternalSorter<LedgerRedemption>(RecordOrders.RedemptionById, RecordCodecs.Redemption, work, options.SortRunSize);
            using var journalById = new ExternalSorter<JournalLine>(RecordOrders.JournalById, RecordCodecs.Journal, work, options.SortRunSize);
            using var journalBySequence = new ExternalSorter<JournalLine>(RecordOrders.JournalBySequence, RecordCodecs.Journal, work, options.SortRunSize);
            using var keys = new TerminalKeyRing();

            progress?.Report(new ReconciliationProgress("reading ledger redemptions", 0));
            await ReadLedgerAsync(ledgerById, ct);
            long journalReceipts = 0;
            foreach (var journal in inputs.Journals) journalReceipts += await ReadJournalAsync(journal, journalById, journalBySequence, keys, ct);
            var payments = inputs.Payments is null ? null : await ReadPaymentsAsync(inputs.Payments, ct);

            progress?.Report(new ReconciliationProgress("matching receipts", 0));
            var matcher = new ReceiptMatcher(inputs.Ledger, findings, inputs.Resubmitter);
            await matcher.MatchAsync(ledgerById.Sorted(), journalById.Sorted(), progress, ct);
            progress?.Report(new ReconciliationProgress("checking journal chains", journalReceipts));
            new JournalChainChecker(findings).Check(journalBySequence.Sorted());

            var settlements = await CheckRetailersAsync(ct);
            if (payments is not null) new PaymentMatcher(scope, findings, Figures).Match(settlements, payments);
            progress?.Report(new ReconciliationProgress("checking programmes", 0));
            await CheckProgrammesAsync(ct);
            progress?.Report(new ReconciliationProgress("done", ledgerById.Count));
            return new ReconciliationCounts(ledgerById.Count, journalReceipts, matcher.Matched, settlements.Count(s => scope.Contains(s.SettledAt)),
                payments?.Count ?? 0, findings.Count, findings.NeedingAction, matcher.Resubmitted,
                _redeemed.Select(r => new Money(r.Value, r.Key)).ToList(), new SortedDictionary<string, long>(findings.ByKind.ToDictionary(), StringComparer.Ordinal));
        }

        private async Task ReadLedgerAsync(ExternalSorter<LedgerRedemption> sorter, CancellationToken ct)
        {
            await foreach (var r in inputs.Ledger.RedemptionsAsync(scope.From, scope.To, ct))
            {
                if (!scope.Covers(r)) continue;
                sorter.Add(r);
                Figures.AddRedemption(r);
                _retailers.Add(r.RetailerId);
                foreach (var a in r.Allocations) if (scope.ProgrammeId is null || a.ProgrammeId == scope.ProgrammeId) _programmes.Add(a.ProgrammeId);
                if (r.Status == LedgerStatus.Accepted) _redeemed[r.Amount.Currency] = checked(_redeemed.GetValueOrDefault(r.Amount.Currency) + r.Amount.Minor);
                if (sorter.Count % 50_000 == 0) progress?.Report(new ReconciliationProgress("reading ledger redemptions", sorter.Count));
            }
        }

        /// <summary>
        /// Reads one journal: malformed lines and forged receipts become findings; receipts of the period (and the look-back
        /// before it) go to both sorters. A receipt is genuine when a key its terminal has had verifies it, judged as the
        /// ledger judges it (<see cref="KeyInForceRule"/>): an offline sale signed before a key rotation with the old key is.
        /// </summary>
        private async Task<long> ReadJournalAsync(IJournalSource journal, ExternalSorter<JournalLine> byId, ExternalSorter<JournalLine> bySequence, TerminalKeyRing keys,
            CancellationToken ct)
        {
            long read = 0;
            var earliest = scope.From - options.LookBack;
            progress?.Report(new ReconciliationProgress($"reading journal {journal.Name}", 0));
            await foreach (var line in journal.ReadAsync(ct))
            {
                if (++read % 50_000 == 0) progress?.Report(new ReconciliationProgress($"reading journal {journal.Name}", read));
                if (line.Receipt is null)
                {
                    findings.Add(Finding.Of(FindingKinds.JournalMalformed, $"{line.Source} line {line.Line}: {line.Problem}.",
                        "Ask the retailer for a fresh export of the terminal's journal; this line was not reconciled.") with { Source = line.Source, Line = line.Line });
                    continue;
                }
                var receipt = line.Receipt.Receipt;
                if (receipt.TerminalTime < earliest || receipt.TerminalTime >= scope.To) continue;
                var terminal = await TerminalAsync(receipt.TerminalId, ct);
                if (scope.RetailerId is not null && terminal is not null && terminal.RetailerId != scope.RetailerId) continue;
                if (!line.SignatureChecked && (terminal is null || !keys.Judge(terminal.Keys, line.Receipt, acknowledgedAt: null).Signed))
                {
                    findings.Add(Finding.Of(FindingKinds.ReceiptSignatureInvalid,
                            terminal is null
                                ? $"{line.Source} line {line.Line}: receipt {receipt.TerminalId} #{receipt.Sequence} names a terminal the ledger has not registered."
                                : $"{line.Source} line {line.Line}: the signature of receipt {receipt.TerminalId} #{receipt.Sequence} does not verify with any key the terminal has had.",
                            "Treat the line as no evidence: it was neither matched nor resubmitted. Ask where the file came from.") with
                    {
                        RedemptionId = receipt.RedemptionId, TerminalId = receipt.TerminalId, Sequence = receipt.Sequence, RetailerId = terminal?.RetailerId,
                        OtherAmount = receipt.Amount, Source = line.Source, Line = line.Line,
                    });
                    continue;
                }
                if (terminal is not null) _retailers.Add(terminal.RetailerId);
                byId.Add(line);
                bySequence.Add(line);
            }
            return read;
        }

        private async Task<LedgerTerminal?> TerminalAsync(string terminalId, CancellationToken ct)
        {
            if (_terminals.TryGetValue(terminalId, out var known)) return known;
            return _terminals[terminalId] = await inputs.Ledger.FindTerminalAsync(terminalId, ct);
        }

        private async Task<List<PaymentRow>> ReadPaymentsAsync(PaymentStatement statement, CancellationToken ct)
        {
            var rows = new List<PaymentRow>();
            await foreach (var line in statement.ReadAsync(ct))
            {
                if (line.Payment is null)
                {
                    findings.Add(Finding.Of(FindingKinds.PaymentMalformed, $"{statement.Name} line {line.Line}: {line.Problem}.",
                        "Ask the bank or payment provider for a corrected statement; this row was not reconciled.") with { Source = statement.Name, Line = line.Line });
                    continue;
                }
                if (scope.RetailerId is not null && line.Payment.RetailerId != scope.RetailerId) continue;
                if (scope.AgencyMsp is not null && line.Payment.AgencyMsp != scope.AgencyMsp) continue;
                rows.Add(line.Payment);
                _retailers.Add(line.Payment.RetailerId);
            }
            return rows;
        }

        /// <summary>Per retailer: payables (figures, overdue), settlements (figures, for payment matching) and the payable invariant.</summary>
        private async Task<List<LedgerSettlement>> CheckRetailersAsync(CancellationToken ct)
        {
            var settlements = new List<LedgerSettlement>();
            foreach (var retailer in _retailers)
            {
                progress?.Report(new ReconciliationProgress($"checking retailer {retailer}", 0));
                var sums = new LedgerInvariants.RetailerSums(retailer);
                var overdue = new SortedDictionary<(string Agency, string Currency), (long Count, long Minor, DateTimeOffset Oldest)>();
                await foreach (var p in inputs.Ledger.PayablesAsync(retailer, ct))
                {
                    sums.AddPayable(p.Amount);
                    if (scope.AgencyMsp is not null && p.AgencyMsp != scope.AgencyMsp) continue;
                    Figures.AddPayable(retailer, p.Amount.Currency, p.Amount.Minor);
                    if (scope.PayableCutOff is { } cutOff && p.RecordedAt < cutOff)
                    {
                        var o = overdue.GetValueOrDefault((p.AgencyMsp, p.Amount.Currency), (0, 0, DateTimeOffset.MaxValue));
                        overdue[(p.AgencyMsp, p.Amount.Currency)] = (o.Count + 1, checked(o.Minor + p.Amount.Minor), p.RecordedAt < o.Oldest ? p.RecordedAt : o.Oldest);
                    }
                }
                foreach (var ((agency, currency), o) in overdue)
                    findings.Add(Finding.Of(FindingKinds.PayableOverdue,
                            $"{agency} still owes {retailer} {Currencies.Format(o.Minor, currency)} for {o.Count} redemption(s) recorded before the cut-off {scope.PayableCutOff:O} (oldest {o.Oldest:O}).",
                            $"{agency} settles {retailer} (cashtransfer settle), then pays the settlement.") with
                    {
                        RetailerId = retailer, AgencyMsp = agency, LedgerAmount = new Money(o.Minor, currency),
                    });
                await foreach (var s in inputs.Ledger.SettlementsAsync(retailer, ct))
                {
                    foreach (var t in s.Totals) sums.AddSettled(t);
                    if (scope.AgencyMsp is not null && s.AgencyMsp != scope.AgencyMsp) continue;
                    settlements.Add(s);
                    if (scope.Contains(s.SettledAt)) foreach (var t in s.Totals) Figures.AddSettled(retailer, t.Currency, t.Minor);
                }
                await foreach (var r in inputs.Ledger.RetailerRedemptionsAsync(retailer, ct)) sums.AddRedemption(r);
                foreach (var f in sums.Check()) findings.Add(f);
            }
            return settlements;
        }

        private async Task CheckProgrammesAsync(CancellationToken ct)
        {
            foreach (var programme in _programmes)
            {
                var totals = await inputs.Ledger.ProgrammeTotalsAsync(programme, ct);
                if (totals is not null && LedgerInvariants.CheckProgramme(totals) is { } broken) findings.Add(broken);
            }
        }
    }
}
