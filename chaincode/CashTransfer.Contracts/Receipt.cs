using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>
/// A sale as the terminal recorded it in its journal; the chaincode's <c>Redemption:Redeem</c> takes it signed
/// (<see cref="SignedReceipt"/>). The redemption id is chosen on the terminal and makes the redemption idempotent;
/// the sequence number and previous receipt hash chain the journal (the first receipt carries
/// <see cref="ReceiptEncoding.GenesisHash"/>). The bytes a terminal signs are <see cref="ReceiptEncoding.Encode(Receipt)"/>.
/// </summary>
/// <param name="RedemptionId">Chosen by the terminal; a repeat returns the first outcome.</param>
/// <param name="TerminalId">The terminal that recorded and signed the sale.</param>
/// <param name="Sequence">The receipt's place in the terminal's journal.</param>
/// <param name="PreviousReceiptHash">The <see cref="ReceiptEncoding.Hash"/> of the terminal's previous receipt.</param>
/// <param name="BeneficiaryHash">The keyed hash of the beneficiary's common identifier: 64 lowercase hex characters, never personal data.</param>
/// <param name="Amount">What was spent.</param>
/// <param name="Category">What was bought, e.g. <c>food</c>.</param>
/// <param name="TerminalTimeUnixMs">The terminal's clock at the sale, Unix milliseconds.</param>
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
    /// <summary>The terminal's clock at the sale.</summary>
    [JsonIgnore]
    public DateTimeOffset TerminalTime => DateTimeOffset.FromUnixTimeMilliseconds(TerminalTimeUnixMs);
}
