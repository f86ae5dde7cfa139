using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.WebConsole;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>The auditor dashboard's redemptions per day per programme.</summary>
public sealed class DailyRedemptionsTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 12, 1, 23, 59, 0, TimeSpan.Zero);

    [Fact]
    public void Accepted_redemptions_add_up_per_UTC_day_and_programme_and_a_split_one_counts_for_each_programme()
    {
        var totals = new DailyRedemptions();
        totals.Add(Redemption("r1", "Accepted", Day1, ("food", 300)));
        totals.Add(Redemption("r2", "Accepted", Day1, ("food", 200), ("cash", 50), ("food", 10)));
        totals.Add(Redemption("r3", "Accepted", Day1.AddMinutes(2), ("cash", 70))); // the next UTC day
        totals.Add(Redemption("r4", "Rejected", Day1, ("food", 999)));
        totals.Add(Redemption("r5", "Reversed", Day1, ("food", 999)));

        Assert.Equal(
        [
            new DailyRedemptionsDto(new DateOnly(2026, 12, 1), "cash", "JOD", 1, 50),
            new DailyRedemptionsDto(new DateOnly(2026, 12, 1), "food", "JOD", 2, 510),
            new DailyRedemptionsDto(new DateOnly(2026, 12, 2), "cash", "JOD", 1, 70),
        ], totals.Totals());
    }

    private static RedemptionRecord Redemption(string id, string status, DateTimeOffset at, params (string Programme, long Minor)[] allocations) =>
        new(id, "pos-1", "shop-1", 1, new string('0', 64), new string('a', 64), new Money(allocations.Sum(a => a.Minor), "JOD"), "food", status, null,
            allocations.Select(a => new AllocationRecord(a.Programme, "c1", "Org1MSP", a.Minor)).ToList(), at, "tx-" + id);
}
