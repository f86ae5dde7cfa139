using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace CashTransfer.Api.Signing;

/// <summary>
/// ECDSA P-256 signatures as CashTransfer exchanges them (requests and receipts): SHA-256, DER, and S in the lower
/// half of the curve order, the rule the chaincode applies (as Fabric does), because .NET produces high S about half
/// the time. BCL only, so that a terminal needs nothing of Fabric.
/// </summary>
public static class P256Signatures
{
    private static readonly BigInteger Order = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger HalfOrder = Order >> 1;

    /// <summary>Signs <paramref name="message"/> with SHA-256; returns a low-S DER signature.</summary>
    public static byte[] Sign(ECDsa key, ReadOnlySpan<byte> message)
    {
        if (key.KeySize != 256) throw new NotSupportedException($"CashTransfer keys are ECDSA P-256; got a {key.KeySize}-bit key.");
        var raw = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var r = new BigInteger(raw.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(raw.AsSpan(32), isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder) s = Order - s;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }
        return writer.Encode();
    }

    /// <summary>True when <paramref name="derSignature"/> is a low-S signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    public static bool Verify(ECDsa publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature)
    {
        try
        {
            var sequence = new AsnReader(derSignature.ToArray(), AsnEncodingRules.DER).ReadSequence();
            sequence.ReadInteger();
            if (sequence.ReadInteger() > HalfOrder) return false;
            return publicKey.VerifyData(message, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }
}
