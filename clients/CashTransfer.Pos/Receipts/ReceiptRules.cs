using CashTransfer.Contracts;

namespace CashTransfer.Pos.Receipts;

/// <summary>
/// The field formats the ledger accepts for a receipt (the same rules as the chaincode's Receipt.Validate, on the
/// shared <see cref="IdRules"/>), checked on the terminal before signing and by the gateway on arrival, so a
/// malformed receipt never reaches the ledger.
/// </summary>
public static class ReceiptRules
{
    public static bool IsId(string? value) => IdRules.IsId(value);

    public static bool IsHash(string? value) => IdRules.IsHash(value);

    /// <summary>What is wrong with the receipt's fields; empty when it is well formed.</summary>
    public static IReadOnlyList<string> Problems(Receipt? r)
    {
        if (r is null) return ["The receipt is missing."];
        var problems = new List<string>();
        if (!IsId(r.TerminalId)) problems.Add($"terminalId must be {IdRules.IdRule}.");
        else if (!IdRules.IsRedemptionIdOf(r.RedemptionId, r.TerminalId)) problems.Add($"redemptionId must be {IdRules.RedemptionIdRule}, with this receipt's terminal id ({r.TerminalId}).");
        if (r.Sequence < 1) problems.Add($"sequence must be 1 or more; got {r.Sequence}.");
        if (!IsHash(r.PreviousReceiptHash)) problems.Add("previousReceiptHash must be 64 lowercase hex characters (SHA-256).");
        if (!IsHash(r.BeneficiaryHash)) problems.Add("beneficiaryHash must be the keyed hash of the common identifier: 64 lowercase hex characters, never personal data.");
        if (r.Amount is null) problems.Add("amount is required: {\"minor\": <integer minor units>, \"currency\": \"<ISO 4217>\"}.");
        else
        {
            if (r.Amount.Minor <= 0) problems.Add($"amount.minor must be a positive integer number of minor units; got {r.Amount.Minor}.");
            else if (r.Amount.Minor > Money.MaxMinor) problems.Add(Money.TooLarge("amount.minor", r.Amount.Minor));
            if (!Currencies.IsIso4217(r.Amount.Currency)) problems.Add($"amount.currency '{r.Amount.Currency}' is not an active ISO 4217 code such as USD or KES.");
        }
        if (!IdRules.IsCategory(r.Category)) problems.Add("category must be 1-32 lowercase letters, digits or '-' (e.g. food).");
        if (!UnixTime.IsValidMs(r.TerminalTimeUnixMs)) problems.Add($"terminalTimeUnixMs must be {UnixTime.Rule}; got {r.TerminalTimeUnixMs}.");
        return problems;
    }

    /// <summary>What is wrong with a reversal request's fields; empty when it is well formed.</summary>
    public static IReadOnlyList<string> ReversalProblems(ReversalRequest? r)
    {
        if (r is null) return ["The reversal request is missing."];
        var problems = new List<string>();
        if (!IdRules.IsRedemptionReference(r.RedemptionId)) problems.Add($"redemptionId must be {IdRules.RedemptionIdRule}.");
        if (!IsId(r.TerminalId)) problems.Add($"terminalId must be {IdRules.IdRule}.");
        if (!ReversalReasons.IsKnown(r.Reason)) problems.Add($"reason must be one of {string.Join(", ", ReversalReasons.All)}.");
        if (!UnixTime.IsValidMs(r.TerminalTimeUnixMs)) problems.Add($"terminalTimeUnixMs must be {UnixTime.Rule}; got {r.TerminalTimeUnixMs}.");
        return problems;
    }
}
