using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Fabric.Ecdsa;

/// <summary>ECDSA signature encoding and the low-S rule that Fabric enforces.</summary>
public static class EcdsaSignatures
{
    private static readonly BigInteger P256Order = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger P256HalfOrder = P256Order >> 1;

    /// <summary>Turns a raw r||s signature into DER, replacing s with n - s where s is above n/2.</summary>
    public static byte[] ToLowSDer(ReadOnlySpan<byte> rawSignature, int keySizeBits = 256)
    {
        if (keySizeBits != 256)
            throw new NotSupportedException($"Fabric identities here use P-256; got a {keySizeBits}-bit key.");
        int half = rawSignature.Length / 2;
        var r = new BigInteger(rawSignature[..half], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(rawSignature[half..], isUnsigned: true, isBigEndian: true);
        if (s > P256HalfOrder) s = P256Order - s;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }
        return writer.Encode();
    }

    /// <summary>Signs a SHA-256 digest as Fabric expects it: DER with S in the lower half of the order.</summary>
    public static byte[] SignDigest(ECDsa privateKey, ReadOnlySpan<byte> digest)
    {
        EcdsaOperations.Signatures.Add(1);
        var raw = privateKey.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return ToLowSDer(raw, privateKey.KeySize);
    }

    /// <summary>True when the DER signature's S is in the lower half of the order, as Fabric requires.</summary>
    public static bool IsLowS(ReadOnlySpan<byte> derSignature)
    {
        var (_, s) = ReadDer(derSignature);
        return s <= P256HalfOrder;
    }

    /// <summary>Verifies a DER signature over <paramref name="message"/> with SHA-256, and that S is low.</summary>
    public static bool Verify(ECDsa publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature)
    {
        try
        {
            if (!IsLowS(derSignature)) return false;
            EcdsaOperations.Verifications.Add(1);
            return publicKey.VerifyData(message, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }

    private static (BigInteger R, BigInteger S) ReadDer(ReadOnlySpan<byte> der)
    {
        var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var seq = reader.ReadSequence();
        var r = seq.ReadInteger();
        var s = seq.ReadInteger();
        seq.ThrowIfNotEmpty();
        reader.ThrowIfNotEmpty();
        return (r, s);
    }
}
