using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>What the ledger accepts in a receipt: every field well formed, so that keys and records hold no personal data.</summary>
public static class ReceiptValidation
{
    /// <summary>Returns the receipt, or throws a clear 400 error for its first malformed field.</summary>
    public static Receipt Validate(this Receipt receipt)
    {
        Identifiers.RequireId(receipt.TerminalId, "Terminal id");
        Identifiers.RequireRedemptionIdOf(receipt.RedemptionId, receipt.TerminalId);
        if (receipt.Sequence < 0) throw Problem.Invalid($"Journal sequence must not be negative; got {receipt.Sequence}.");
        Identifiers.RequireHash(receipt.PreviousReceiptHash, "Previous receipt hash");
        Identifiers.RequireBeneficiaryHash(receipt.BeneficiaryHash);
        Problem.Required(receipt.Amount, "The amount").RequirePositive("A redemption");
        Identifiers.RequireCategory(receipt.Category);
        if (!UnixTime.IsValidMs(receipt.TerminalTimeUnixMs))
            throw Problem.Invalid($"The terminal time must be {UnixTime.Rule}; got {receipt.TerminalTimeUnixMs}.");
        return receipt;
    }
}
