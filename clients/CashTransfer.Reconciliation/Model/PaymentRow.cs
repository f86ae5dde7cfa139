namespace CashTransfer.Reconciliation.Model;

/// <summary>One row of a payment statement: a payment to a retailer that should match a settlement's reference and totals.</summary>
/// <param name="Line">1-based line in the CSV file (the header is line 1).</param>
public sealed record PaymentRow(long Line, string PaymentReference, string RetailerId, string AgencyMsp, long AmountMinor, string Currency, DateOnly ValueDate);
