using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>A receipt with its terminal's signature: base64 of a low-S DER ECDSA P-256/SHA-256 signature over <see cref="ReceiptEncoding.Encode(Receipt)"/>.</summary>
/// <param name="Receipt">The sale.</param>
/// <param name="Signature">Base64 of the DER signature.</param>
/// <param name="AcknowledgedAtUnixMs">
/// When the gateway service stored and acknowledged the receipt, Unix milliseconds; not signed by the terminal and
/// not part of the receipt's hash. The service sets it (overwriting whatever a terminal sent) and the ledger takes it
/// only from the gateway role: a receipt acknowledged before a key rotation or suspension is honoured
/// (docs/terminal-keys.md). Left out of the JSON when null.
/// </param>
public sealed record SignedReceipt(
    Receipt Receipt,
    string Signature,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? AcknowledgedAtUnixMs = null)
{
    /// <summary>The receipt's hash, which the terminal's next receipt carries as its previous hash.</summary>
    [JsonIgnore]
    public string Hash => ReceiptEncoding.Hash(Receipt);
}
