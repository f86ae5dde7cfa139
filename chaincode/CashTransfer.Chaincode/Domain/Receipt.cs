namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// A sale as the terminal recorded it in its journal. The redemption id is chosen on the terminal and makes
/// the redemption idempotent; the sequence number and previous receipt hash chain the journal.
/// The bytes a terminal signs are defined in docs/receipt-encoding.md (<see cref="ReceiptEncoding"/>).
/// </summary>
public sealed record Receipt(
    string RedemptionId,
    string TerminalId,
    long Sequence,
    string PreviousReceiptHash,
    string BeneficiaryHash,
    Money Amount,
    string Category,
    long TerminalTimeUnixMs)
{
    /// <summary>Throws a clear 400 error for any malformed field.</summary>
    public Receipt Validate()
    {
        Identifiers.RequireId(RedemptionId, "Redemption id");
        Identifiers.RequireId(TerminalId, "Terminal id");
        if (Sequence < 0) throw Problem.Invalid($"Journal sequence must not be negative; got {Sequence}.");
        Identifiers.RequireHash(PreviousReceiptHash, "Previous receipt hash");
        Identifiers.RequireBeneficiaryHash(BeneficiaryHash);
        Problem.Required(Amount, "The amount").RequirePositive("A redemption");
        Identifiers.RequireCategory(Category);
        return this;
    }

    public DateTimeOffset TerminalTime => DateTimeOffset.FromUnixTimeMilliseconds(TerminalTimeUnixMs);
}

/// <summary>A receipt with the terminal's signature: base64 of a DER ECDSA P-256 signature (low S) over its canonical bytes.</summary>
public sealed record SignedReceipt(Receipt Receipt, string Signature);
