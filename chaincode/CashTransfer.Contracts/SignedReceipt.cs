using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>A receipt with its terminal's signature: base64 of a low-S DER ECDSA P-256/SHA-256 signature over <see cref="ReceiptEncoding.Encode(Receipt)"/>.</summary>
/// <param name="Receipt">The sale.</param>
/// <param name="Signature">Base64 of the DER signature.</param>
public sealed record SignedReceipt(Receipt Receipt, string Signature)
{
    /// <summary>The receipt's hash, which the terminal's next receipt carries as its previous hash.</summary>
    [JsonIgnore]
    public string Hash => ReceiptEncoding.Hash(Receipt);
}
