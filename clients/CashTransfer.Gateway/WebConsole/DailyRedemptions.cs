using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// Adds up accepted redemptions per day and programme. A redemption paid from two programmes counts once for each,
/// with the amount each paid; rejected and reversed redemptions moved no money and are left out.
/// </summary>
public sealed class DailyRedemptions
{
    private readonly SortedDictionary<(DateOnly Day, string ProgrammeId, string Currency), (long Count, long Minor)> _totals = new();

    public void Add(RedemptionRecord redemption)
    {
        if (redemption.Status != "Accepted") return;
        var day = DateOnly.FromDateTime(redemption.RecordedAt.UtcDateTime);
        foreach (var programme in (redemption.Allocations ?? []).GroupBy(a => a.ProgrammeId, StringComparer.Ordinal))
        {
            var key = (day, programme.Key, redemption.Amount.Currency);
            var (count, minor) = _totals.GetValueOrDefault(key);
            _totals[key] = (count + 1, checked(minor + programme.Sum(a => a.AmountMinor)));
        }
    }

    public IReadOnlyList<DailyRedemptionsDto> Totals() =>
        _totals.Select(t => new DailyRedemptionsDto(t.Key.Day, t.Key.ProgrammeId, t.Key.Currency, t.Value.Count, t.Value.Minor)).ToList();
}
