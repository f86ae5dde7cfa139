namespace CashTransfer.Api.Signing;

/// <summary>
/// Signs requests and receipts with a client's ECDSA P-256 key (low-S DER over SHA-256, see <see cref="Fabric.Ecdsa.EcdsaSignatures"/>).
/// Implement it to keep a terminal's key in secure hardware; <see cref="P256Signer"/> holds it in memory.
/// </summary>
public interface IP256Signer
{
    /// <summary>Signs <paramref name="message"/> (not its digest).</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}
