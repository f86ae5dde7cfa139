using System.Runtime.CompilerServices;
using System.Text.Json;
using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Benchmarks;

/// <summary>
/// The chaincode's paginated queries over a <see cref="SyntheticPeriod"/>, answered as the chaincode answers them (JSON
/// pages of its records, a bookmark to the next page), so that the service's export endpoint and the reconciliation's
/// ledger source do their real per-row work on the same rows. Pages are made on demand from a scan that each bookmark
/// continues: nothing of the period is held in memory. Read-only: submitting and events are not offered.
/// </summary>
internal sealed class SyntheticLedger(SyntheticPeriod period) : ILedgerGateway
{
    private readonly Dictionary<string, IAsyncEnumerator<object>> _scans = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _nextScan;

    public async Task<byte[]> EvaluateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        switch (function)
        {
            case ChaincodeFunctions.GetRedemptionsByPeriod:
                return await PageAsync(arguments[^1], int.Parse(arguments[^2]),
                    () => Records(period.RedemptionsAsync(DateTimeOffset.Parse(arguments[0]), DateTimeOffset.Parse(arguments[1]), ct)), ct);
            case ChaincodeFunctions.GetRedemptionsByRetailer:
                return await PageAsync(arguments[^1], int.Parse(arguments[^2]), () => Records(period.RetailerRedemptionsAsync(arguments[0], ct)), ct);
            case ChaincodeFunctions.GetPayables:
                return Json(new Page<PayableRecord>([], ""));
            case "Query:GetSettlementsByRetailer":
                return await PageAsync(arguments[^1], int.Parse(arguments[^2]), () => Settlements(arguments[0], ct), ct);
            case ChaincodeFunctions.GetProgrammeTotals:
                var t = (await period.ProgrammeTotalsAsync(arguments[0], ct))!;
                return Json(new ProgrammeTotalsRecord(t.ProgrammeId, t.Currency, t.BudgetMinor, t.Issued, 1, t.Issued, t.Redeemed, t.Reversed, t.Revoked, t.Reclaimed,
                    t.Outstanding, ""));
            case ChaincodeFunctions.GetTerminal:
                var terminal = (await period.FindTerminalAsync(arguments[0], ct))!;
                return Json(new TerminalLedgerRecord(terminal.TerminalId, terminal.RetailerId, terminal.Keys.PublicKeyPem, 1, "Active", "WFPMSP"));
            case ChaincodeFunctions.GetRedemption:
                throw new ChaincodeRejectedException(404, $"Redemption {arguments[0]} not found.");
            default:
                throw new NotSupportedException($"The synthetic ledger does not answer {function}.");
        }
    }

    /// <summary>One page of a scan: a new scan for an empty bookmark, else the scan the bookmark continues.</summary>
    private async Task<byte[]> PageAsync(string bookmark, int size, Func<IAsyncEnumerable<object>> scan, CancellationToken ct)
    {
        IAsyncEnumerator<object>? rows;
        lock (_gate)
        {
            if (bookmark.Length == 0) rows = scan().GetAsyncEnumerator(ct);
            else if (!_scans.Remove(bookmark, out rows)) throw new ChaincodeRejectedException(400, $"Unknown bookmark {bookmark}.");
        }
        var items = new List<object>(size);
        while (items.Count < size && await rows.MoveNextAsync()) items.Add(rows.Current);
        var next = "";
        if (items.Count == size)
            lock (_gate) _scans[next = $"scan-{++_nextScan}"] = rows;
        else await rows.DisposeAsync();
        return Json(new Page<object>(items, next));
    }

    private static async IAsyncEnumerable<object> Records(IAsyncEnumerable<LedgerRedemption> redemptions)
    {
        await foreach (var r in redemptions)
            yield return new RedemptionRecord(r.RedemptionId, r.TerminalId, r.RetailerId, r.Sequence, r.ReceiptHash, SyntheticPeriod.Beneficiary, r.Amount, "food",
                r.Status, null, r.Allocations.Select(a => new AllocationRecord(a.ProgrammeId, "c1", a.OwnerMsp, a.AmountMinor)).ToList(), r.RecordedAt, "tx-" + r.RedemptionId);
    }

    private async IAsyncEnumerable<object> Settlements(string retailerId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var s in period.SettlementsAsync(retailerId, ct))
            yield return new SettlementRecord(s.SettlementId, s.AgencyMsp, s.RetailerId, s.SettledAt, s.PaymentReference, s.Totals, ["one"], s.SettledAt, "tx-" + s.SettlementId);
    }

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);

    public Task<PreparedTransaction> EndorseAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct) =>
        throw new NotSupportedException("The synthetic ledger is read-only.");

    public Task SubmitAsync(LedgerCaller caller, PreparedTransaction transaction, CancellationToken ct) => throw new NotSupportedException("The synthetic ledger is read-only.");

    public Task<CommitStatusResult?> GetCommitStatusAsync(LedgerCaller caller, string txId, TimeSpan wait, CancellationToken ct) =>
        throw new NotSupportedException("The synthetic ledger is read-only.");

    public async IAsyncEnumerable<LedgerEvent> ListenAsync(LedgerCaller caller, ProjectionCheckpoint? after, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        yield break;
    }
}
