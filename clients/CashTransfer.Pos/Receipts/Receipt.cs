using System.Text.Json.Serialization;

namespace CashTransfer.Pos.Receipts;

/// <summary>An amount in integer minor units of an ISO 4217 currency (JSON <c>{"minor":500,"currency":"USD"}</c>).</summary>
public sealed record Money(long Minor, string Currency);

/// <summary>
/// A sale as the terminal records it in its journal; its JSON is the chaincode's <c>Receipt</c>.
/// The redemption id is chosen on the terminal and makes the redemption idempotent on the ledger; the sequence
/// number and previous receipt hash chain the terminal's journal (the first receipt has sequence 1 and
/// <see cref="ReceiptEncoding.GenesisHash"/> as previous hash).
/// </summary>
public sealed record Receipt(
    string RedemptionId,
    string TerminalId,
    long Sequence,
    string PreviousReceiptHash,
    string BeneficiaryHash,
    Money Amount,
    string Category,
    long TerminalTimeUnixMs);

/// <summary>A receipt with its terminal's signature: base64 of a low-S DER ECDSA P-256 signature over <see cref="ReceiptEncoding.Encode(Receipt)"/>.</summary>
public sealed record SignedReceipt(Receipt Receipt, string Signature)
{
    /// <summary>The receipt's hash, which the next receipt of the terminal carries as its previous hash.</summary>
    [JsonIgnore]
    public string Hash => ReceiptEncoding.Hash(Receipt);
}
