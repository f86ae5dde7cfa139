using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Matching;

/// <summary>
/// Matches a payment statement with the ledger's settlements by payment reference: a settlement of the period with
/// no payment, a payment no settlement promised, a payment in another currency or of another amount than the
/// settled total, a payee other than the settlement's, a settlement paid twice. Settlements and payments are
/// per retailer and cycle (thousands, not millions), so they are grouped in memory by reference.
/// </summary>
public sealed class PaymentMatcher(ReconciliationScope scope, FindingStore findings, ReportFigures figures)
{
    public void Match(IReadOnlyCollection<LedgerSettlement> settlements, IReadOnlyCollection<PaymentRow> payments)
    {
        var byReference = settlements.GroupBy(s => s.PaymentReference, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var paid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in payments.GroupBy(p => p.PaymentReference, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.OrderBy(p => p.Line).ToList();
            if (!byReference.TryGetValue(group.Key, out var promised))
            {
                foreach (var p in rows) findings.Add(Unknown(p));
                continue;
            }
            paid.Add(group.Key);
            var settlement = promised[0];
            foreach (var p in rows.Where(p => p.RetailerId != settlement.RetailerId || p.AgencyMsp != settlement.AgencyMsp))
                findings.Add(PayeeMismatch(settlement, p));
            foreach (var p in rows) figures.AddPaid(settlement.RetailerId, p.Currency, p.AmountMinor);
            var totals = settlement.Totals.ToDictionary(t => t.Currency, t => t.Minor, StringComparer.Ordinal);
            foreach (var currency in rows.GroupBy(p => p.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var inCurrency = currency.ToList();
                if (!totals.TryGetValue(currency.Key, out var settled))
                {
                    foreach (var p in inCurrency) findings.Add(CurrencyMismatch(settlement, p));
                    continue;
                }
                if (inCurrency.Count > 1) findings.Add(Duplicate(settlement, inCurrency));
                else if (inCurrency[0].AmountMinor != settled) findings.Add(AmountMismatch(settlement, inCurrency[0], settled));
            }
        }
        foreach (var s in settlements.Where(s => scope.Contains(s.SettledAt) && !paid.Contains(s.PaymentReference)).OrderBy(s => s.SettlementId, StringComparer.Ordinal))
            findings.Add(Missing(s));
    }

    private static Finding Unknown(PaymentRow p) => Finding.Of(FindingKinds.PaymentUnknown,
            $"Statement line {p.Line} pays {Currencies.Format(p.AmountMinor, p.Currency)} to {p.RetailerId} on {p.ValueDate:yyyy-MM-dd} under reference {p.PaymentReference}; " +
            "no settlement on the ledger carries this reference.",
            "Ask the paying agency what the payment was for; recover it or record the settlement it belongs to.") with
    {
        PaymentReference = p.PaymentReference, RetailerId = p.RetailerId, AgencyMsp = p.AgencyMsp, OtherAmount = new Money(p.AmountMinor, p.Currency), Line = p.Line,
    };

    private static Finding PayeeMismatch(LedgerSettlement s, PaymentRow p) => Finding.Of(FindingKinds.PaymentPayeeMismatch,
            $"Settlement {s.SettlementId} is {s.AgencyMsp} paying {s.RetailerId}; statement line {p.Line} with its reference {p.PaymentReference} is {p.AgencyMsp} paying {p.RetailerId}.",
            "Check with the bank who received the payment; the retailer may not have been paid.") with
    {
        SettlementId = s.SettlementId, PaymentReference = p.PaymentReference, RetailerId = s.RetailerId, AgencyMsp = s.AgencyMsp,
        OtherAmount = new Money(p.AmountMinor, p.Currency), Line = p.Line,
    };

    private static Finding CurrencyMismatch(LedgerSettlement s, PaymentRow p) => Finding.Of(FindingKinds.PaymentCurrencyMismatch,
            $"Settlement {s.SettlementId} settled {Totals(s)}; statement line {p.Line} paid {Currencies.Format(p.AmountMinor, p.Currency)} under its reference.",
            "Ask the paying agency to pay in the settled currency; a conversion is not a settlement.") with
    {
        SettlementId = s.SettlementId, PaymentReference = p.PaymentReference, RetailerId = s.RetailerId, AgencyMsp = s.AgencyMsp,
        LedgerAmount = s.Totals.FirstOrDefault(), OtherAmount = new Money(p.AmountMinor, p.Currency), Line = p.Line,
    };

    private static Finding Duplicate(LedgerSettlement s, List<PaymentRow> rows) => Finding.Of(FindingKinds.PaymentDuplicate,
            $"Settlement {s.SettlementId} ({Totals(s)}) was paid {rows.Count} times: statement lines {string.Join(", ", rows.Select(p => $"{p.Line} ({Currencies.Format(p.AmountMinor, p.Currency)})"))}.",
            "Recover the extra payment from the retailer.") with
    {
        SettlementId = s.SettlementId, PaymentReference = s.PaymentReference, RetailerId = s.RetailerId, AgencyMsp = s.AgencyMsp,
        LedgerAmount = s.Totals.First(t => t.Currency == rows[0].Currency),
        OtherAmount = new Money(rows.Sum(p => p.AmountMinor), rows[0].Currency), Line = rows[1].Line,
    };

    private static Finding AmountMismatch(LedgerSettlement s, PaymentRow p, long settled) => Finding.Of(FindingKinds.PaymentAmountMismatch,
            $"Settlement {s.SettlementId} settled {Currencies.Format(settled, p.Currency)}; statement line {p.Line} paid {Currencies.Format(p.AmountMinor, p.Currency)} " +
            $"({(p.AmountMinor > settled ? "over" : "under")} by {Currencies.Format(Math.Abs(p.AmountMinor - settled), p.Currency)}).",
            p.AmountMinor > settled ? "Recover the overpayment from the retailer." : "Pay the retailer the difference.") with
    {
        SettlementId = s.SettlementId, PaymentReference = p.PaymentReference, RetailerId = s.RetailerId, AgencyMsp = s.AgencyMsp,
        LedgerAmount = new Money(settled, p.Currency), OtherAmount = new Money(p.AmountMinor, p.Currency), Line = p.Line,
    };

    private static Finding Missing(LedgerSettlement s) => Finding.Of(FindingKinds.PaymentMissing,
            $"Settlement {s.SettlementId} ({s.AgencyMsp} to {s.RetailerId}, {Totals(s)}, {s.Redemptions} redemptions) was recorded at {s.SettledAt:O} with " +
            $"reference {s.PaymentReference}; the payment statement has no payment with this reference.",
            "Ask the paying agency whether the payment was made; if not, pay the retailer.") with
    {
        SettlementId = s.SettlementId, PaymentReference = s.PaymentReference, RetailerId = s.RetailerId, AgencyMsp = s.AgencyMsp, LedgerAmount = s.Totals.FirstOrDefault(),
    };

    private static string Totals(LedgerSettlement s) => string.Join(" + ", s.Totals.Select(t => Currencies.Format(t.Minor, t.Currency)));
}
