using System.Runtime.CompilerServices;
using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Reconciliation.Benchmarks;

/// <summary>
/// A synthetic, consistent period generated on the fly (nothing held in memory): <c>redemptions</c> sales spread over
/// <c>terminals</c> terminals and <c>retailers</c> retailers, the ledger side in recording order, the service's
/// journal in terminal order with real receipt hashes and hash chains, every retailer settled in
/// <c>settlementsPerRetailer</c> settlements and each settlement paid. A clean reconciliation finds nothing.
/// Redemption i is sequence i / terminals + 1 of terminal i % terminals.
/// </summary>
public sealed class SyntheticPeriod(int redemptions, int terminals, int retailers, int settlementsPerRetailer) : ILedgerSource
{
    public static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset To = From.AddDays(28);
    private const string Agency = "WFPMSP";
    public static readonly string Beneficiary = new('b', 64);
    private static readonly string Signature = Convert.ToBase64String(new byte[70]);

    private int TerminalCount => terminals;

    public int Redemptions => redemptions;
    public int Payments => retailers * settlementsPerRetailer;

    private static string Terminal(int t) => $"T-{t:D5}";
    private string RetailerOf(int terminal) => $"RT-{terminal % retailers:D4}";
    private static long AmountOf(int i) => 100 + i % 97;
    private DateTimeOffset TimeOf(int i) => From.AddTicks((To - From).Ticks / (redemptions + 1) * i);

    private Receipt ReceiptOf(int i, string previousHash) => new($"{Terminal(i % terminals)}:R{i:D9}", Terminal(i % terminals), i / terminals + 1, previousHash, Beneficiary,
        new Money(AmountOf(i), "KES"), "food", TimeOf(i).ToUnixTimeMilliseconds());

    /// <summary>The service's received receipts, terminal by terminal in sequence order, signatures marked as checked at intake.</summary>
    public IJournalSource ServiceJournal => new Journal(this);

    public async IAsyncEnumerable<LedgerRedemption> RedemptionsAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        var last = Enumerable.Repeat(ReceiptEncoding.GenesisHash, terminals).ToArray();
        for (int i = 0; i < redemptions; i++)
        {
            var receipt = ReceiptOf(i, last[i % terminals]);
            var hash = ReceiptEncoding.Hash(receipt);
            last[i % terminals] = hash;
            if (i % 10_000 == 0) await Task.Yield();
            yield return new LedgerRedemption(receipt.RedemptionId, receipt.TerminalId, RetailerOf(i % terminals), receipt.Sequence, hash, receipt.Amount,
                LedgerStatus.Accepted, null, TimeOf(i).AddSeconds(1), [new LedgerAllocation($"P-{i % 3}", Agency, receipt.Amount.Minor)]);
        }
    }

    public Task<LedgerRedemption?> FindRedemptionAsync(string redemptionId, CancellationToken ct) => Task.FromResult<LedgerRedemption?>(null);

    /// <summary>The retailer's redemptions for its sums (hashes left empty: the payable invariant reads amounts and statuses only).</summary>
    public async IAsyncEnumerable<LedgerRedemption> RetailerRedemptionsAsync(string retailerId, [EnumeratorCancellation] CancellationToken ct)
    {
        var r = int.Parse(retailerId[3..]);
        await Task.Yield();
        for (int t = r; t < terminals; t += retailers)
            for (int i = t; i < redemptions; i += terminals)
                yield return new LedgerRedemption($"R-{i:D9}", Terminal(t), retailerId, i / terminals + 1, "", new Money(AmountOf(i), "KES"), LedgerStatus.Accepted,
                    null, TimeOf(i), []);
    }

    public IAsyncEnumerable<LedgerPayable> PayablesAsync(string retailerId, CancellationToken ct) => AsyncEnumerable.Empty<LedgerPayable>();

    public async IAsyncEnumerable<LedgerSettlement> SettlementsAsync(string retailerId, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var r = int.Parse(retailerId[3..]);
        var parts = SettlementAmounts(r);
        for (int s = 0; s < parts.Length; s++)
            yield return new LedgerSettlement($"S-{r:D4}-{s:D4}", Agency, retailerId, $"PAY-{r:D4}-{s:D4}", [new Money(parts[s], "KES")], 1, To.AddDays(-1));
    }

    /// <summary>The retailer's redeemed total split into its settlements (the last takes the remainder).</summary>
    private long[] SettlementAmounts(int retailer)
    {
        long total = 0;
        for (int t = retailer; t < terminals; t += retailers)
            for (int i = t; i < redemptions; i += terminals) total += AmountOf(i);
        var parts = new long[settlementsPerRetailer];
        for (int s = 0; s < parts.Length; s++) parts[s] = s < parts.Length - 1 ? total / parts.Length : total - total / parts.Length * (parts.Length - 1);
        return parts;
    }

    /// <summary>The payment statement: one payment per settlement, in full.</summary>
    public string StatementCsv()
    {
        var csv = new System.Text.StringBuilder(string.Join(',', PaymentStatement.Columns)).Append('\n');
        for (int r = 0; r < retailers; r++)
        {
            var parts = SettlementAmounts(r);
            for (int s = 0; s < parts.Length; s++) csv.Append($"PAY-{r:D4}-{s:D4},RT-{r:D4},{Agency},{parts[s]},KES,2026-10-28\n");
        }
        return csv.ToString();
    }

    public Task<LedgerProgrammeTotals?> ProgrammeTotalsAsync(string programmeId, CancellationToken ct)
    {
        var p = int.Parse(programmeId[2..]);
        long redeemed = 0;
        for (int i = p; i < redemptions; i += 3) redeemed += AmountOf(i);
        return Task.FromResult<LedgerProgrammeTotals?>(new LedgerProgrammeTotals(programmeId, "KES", long.MaxValue / 4, redeemed * 2, redeemed, 0, 0, 0, redeemed));
    }

    public Task<LedgerTerminal?> FindTerminalAsync(string terminalId, CancellationToken ct) =>
        Task.FromResult<LedgerTerminal?>(new LedgerTerminal(terminalId, RetailerOf(int.Parse(terminalId[2..])), new TerminalKeyHistory(terminalId, "", 1, false, [], [])));

    private sealed class Journal(SyntheticPeriod p) : IJournalSource
    {
        public string Name => JournalOrigin.Service;

        public async IAsyncEnumerable<JournalLine> ReadAsync([EnumeratorCancellation] CancellationToken ct)
        {
            long line = 0;
            await Task.Yield();
            for (int t = 0; t < p.TerminalCount; t++)
            {
                var previous = ReceiptEncoding.GenesisHash;
                for (int i = t; i < p.Redemptions; i += p.TerminalCount)
                {
                    var receipt = p.ReceiptOf(i, previous);
                    var journalLine = JournalLine.Of(Name, ++line, new SignedReceipt(receipt, Signature), signatureChecked: true, "committed");
                    previous = journalLine.ReceiptHash!;
                    yield return journalLine;
                }
            }
        }
    }
}
