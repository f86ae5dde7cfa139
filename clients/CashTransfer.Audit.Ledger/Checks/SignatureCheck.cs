using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;
using Fabric.Ecdsa;

namespace CashTransfer.Audit.Ledger.Checks;

/// <summary>The outcome of checking one Fabric signature, told apart so that a finding says which rule broke.</summary>
public enum SignatureOutcome
{
    Valid,
    /// <summary>Mathematically valid but with S above n/2: Fabric refuses these (signature malleability).</summary>
    HighS,
    Invalid,
}

/// <summary>Checks ECDSA P-256 / SHA-256 DER signatures the way Fabric's MSP does.</summary>
public static class SignatureCheck
{
    public static SignatureOutcome Verify(X509Identity signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var key = signer.Certificate.GetECDsaPublicKey();
        if (key is null) return SignatureOutcome.Invalid;
        try
        {
            if (!key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)) return SignatureOutcome.Invalid;
            return EcdsaSignatures.IsLowS(signature) ? SignatureOutcome.Valid : SignatureOutcome.HighS;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            return SignatureOutcome.Invalid;
        }
    }

    /// <summary>How a finding names the outcome.</summary>
    public static string Describe(SignatureOutcome outcome) => outcome switch
    {
        SignatureOutcome.Valid => "a valid low-S signature",
        SignatureOutcome.HighS => "a high-S signature (malleated; Fabric accepts low-S only)",
        _ => "a signature that does not verify",
    };
}
