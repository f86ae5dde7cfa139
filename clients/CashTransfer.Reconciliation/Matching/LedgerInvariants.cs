using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Matching;

/// <summary>
/// The ledger's own arithmetic (the invariants <c>make demo</c> checks): per programme, issued = redeemed - reversed
/// + revoked + reclaimed + outstanding within the budget; per retailer and currency, what is still payable =
/// redeemed - reversed - settled. A row where these do not hold is a ledger defect.
/// </summary>
public static class LedgerInvariants
{
    public static Finding? CheckProgramme(LedgerProgrammeTotals p)
    {
        var right = p.Redeemed - p.Reversed + p.Revoked + p.Reclaimed + p.Outstanding;
        var problems = new List<string>();
        if (p.Issued != right) problems.Add($"issued {p.Issued} <> {p.Redeemed} - {p.Reversed} + {p.Revoked} + {p.Reclaimed} + {p.Outstanding} = {right} {p.Currency}");
        if (p.Issued > p.BudgetMinor) problems.Add($"issued {p.Issued} is above the budget {p.BudgetMinor} {p.Currency}");
        if (new[] { p.Issued, p.Redeemed, p.Reversed, p.Revoked, p.Reclaimed, p.Outstanding }.Any(v => v < 0)) problems.Add("a total is negative");
        if (problems.Count == 0) return null;
        return Finding.Of(FindingKinds.ProgrammeTotalsBroken, $"Programme {p.ProgrammeId}: {string.Join("; ", problems)}.",
                "A ledger defect: stop issuing in this programme and escalate to the network operators with this report.") with
        {
            ProgrammeId = p.ProgrammeId, LedgerAmount = new Money(p.Issued, p.Currency), OtherAmount = new Money(right, p.Currency),
        };
    }

    /// <summary>Per currency: the retailer's redeemed and reversed (all time), settled, and still payable, summed by the caller from streams.</summary>
    public sealed class RetailerSums(string retailerId)
    {
        private readonly SortedDictionary<string, (long Redeemed, long Reversed, long Settled, long Payable)> _sums = new(StringComparer.Ordinal);

        public string RetailerId { get; } = retailerId;

        public void AddRedemption(LedgerRedemption r)
        {
            if (r.Status == LedgerStatus.Rejected) return;
            var s = _sums.GetValueOrDefault(r.Amount.Currency);
            _sums[r.Amount.Currency] = s with
            {
                Redeemed = checked(s.Redeemed + r.Amount.Minor),
                Reversed = r.Status == LedgerStatus.Reversed ? checked(s.Reversed + r.Amount.Minor) : s.Reversed,
            };
        }

        public void AddSettled(Money m) => _sums[m.Currency] = _sums.GetValueOrDefault(m.Currency) is var s ? s with { Settled = checked(s.Settled + m.Minor) } : s;
        public void AddPayable(Money m) => _sums[m.Currency] = _sums.GetValueOrDefault(m.Currency) is var s ? s with { Payable = checked(s.Payable + m.Minor) } : s;

        public IEnumerable<Finding> Check()
        {
            foreach (var (currency, s) in _sums)
            {
                var expected = s.Redeemed - s.Reversed - s.Settled;
                if (s.Payable == expected) continue;
                yield return Finding.Of(FindingKinds.RetailerPayableBroken,
                        $"Retailer {RetailerId}: payable {s.Payable} <> redeemed {s.Redeemed} - reversed {s.Reversed} - settled {s.Settled} = {expected} {currency}.",
                        "A ledger defect: hold settlements to this retailer and escalate to the network operators with this report.") with
                {
                    RetailerId = RetailerId, LedgerAmount = new Money(s.Payable, currency), OtherAmount = new Money(expected, currency),
                };
            }
        }
    }
}
