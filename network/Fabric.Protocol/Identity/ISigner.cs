namespace Fabric.Protocol.Identity;

/// <summary>
/// Produces Fabric signatures: ECDSA over SHA-256 of a message, ASN.1 DER encoded, low-S.
/// Implement it to keep the private key in an HSM or a KMS.
/// </summary>
public interface ISigner
{
    /// <summary>Signs <paramref name="message"/> (not its digest); the result is a DER signature with low S.</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}
