using CashTransfer.Contracts;

namespace CashTransfer.Reconciliation.Model;

/// <summary>Redeemed (accepted) in one programme on one day, in one currency.</summary>
public sealed record DailyProgrammeTotal(DateOnly Day, string ProgrammeId, string Currency, long Count, long AmountMinor);

/// <summary>Per retailer and currency: still payable, settled in the period, and paid according to the statement.</summary>
public sealed record RetailerMoney(string RetailerId, string Currency, long PayableMinor, long SettledMinor, long PaidMinor);

/// <summary>What a run read and matched.</summary>
public sealed record ReconciliationCounts(
    long LedgerRedemptions,
    long JournalReceipts,
    long JournalCopiesMatched,
    long Settlements,
    long Payments,
    long Findings,
    long FindingsNeedingAction,
    long Resubmitted,
    IReadOnlyList<Money> Redeemed,
    IReadOnlyDictionary<string, long> FindingsByKind);

/// <summary>
/// The figures the reports show, small whatever the period's size (days x programmes, retailers): kept in memory
/// while the rows stream past.
/// </summary>
public sealed class ReportFigures
{
    private readonly SortedDictionary<(DateOnly, string, string), (long Count, long Amount)> _daily = new();
    private readonly SortedDictionary<(string, string), (long Payable, long Settled, long Paid)> _retailers = new();

    public void AddRedemption(LedgerRedemption r)
    {
        if (r.Status != LedgerStatus.Accepted) return;
        var day = DateOnly.FromDateTime(r.RecordedAt.UtcDateTime);
        foreach (var a in r.Allocations)
        {
            var key = (day, a.ProgrammeId, r.Amount.Currency);
            var (count, amount) = _daily.GetValueOrDefault(key);
            _daily[key] = (count + 1, checked(amount + a.AmountMinor));
        }
    }

    public void AddPayable(string retailer, string currency, long minor) => Update(retailer, currency, m => m with { Payable = checked(m.Payable + minor) });
    public void AddSettled(string retailer, string currency, long minor) => Update(retailer, currency, m => m with { Settled = checked(m.Settled + minor) });
    public void AddPaid(string retailer, string currency, long minor) => Update(retailer, currency, m => m with { Paid = checked(m.Paid + minor) });

    public IReadOnlyList<DailyProgrammeTotal> Daily =>
        _daily.Select(d => new DailyProgrammeTotal(d.Key.Item1, d.Key.Item2, d.Key.Item3, d.Value.Count, d.Value.Amount)).ToList();

    public IReadOnlyList<RetailerMoney> Retailers =>
        _retailers.Select(r => new RetailerMoney(r.Key.Item1, r.Key.Item2, r.Value.Payable, r.Value.Settled, r.Value.Paid)).ToList();

    private void Update(string retailer, string currency, Func<(long Payable, long Settled, long Paid), (long Payable, long Settled, long Paid)> change) =>
        _retailers[(retailer, currency)] = change(_retailers.GetValueOrDefault((retailer, currency)));
}
