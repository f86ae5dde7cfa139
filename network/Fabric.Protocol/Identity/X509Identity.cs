using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Identity;

/// <summary>
/// A Fabric identity: an MSP id and the PEM certificate that the MSP issued. Serialized as
/// <c>msp.SerializedIdentity</c>, which is what proposals, transactions and events carry as creator.
/// </summary>
public sealed class X509Identity
{
    public X509Identity(string mspId, string certificatePem)
    {
        if (string.IsNullOrWhiteSpace(mspId)) throw new ArgumentException("An MSP id is required.", nameof(mspId));
        MspId = mspId;
        CertificatePem = certificatePem.Trim() + "\n";
        Certificate = X509Certificate2.CreateFromPem(CertificatePem);
    }

    public string MspId { get; }
    public string CertificatePem { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>The serialized <c>msp.SerializedIdentity</c> bytes (the "creator").</summary>
    public byte[] ToSerializedIdentity() =>
        new global::Msp.SerializedIdentity { Mspid = MspId, IdBytes = ByteString.CopyFromUtf8(CertificatePem) }.ToByteArray();

    /// <summary>Parses a serialized <c>msp.SerializedIdentity</c>; throws <see cref="FormatException"/> when malformed.</summary>
    public static X509Identity FromSerializedIdentity(ReadOnlySpan<byte> serialized)
    {
        try
        {
            var identity = global::Msp.SerializedIdentity.Parser.ParseFrom(serialized);
            return new X509Identity(identity.Mspid, identity.IdBytes.ToStringUtf8());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or CryptographicException or ArgumentException)
        {
            throw new FormatException("The creator is not a valid serialized X.509 identity: " + e.Message, e);
        }
    }

    /// <summary>Verifies a Fabric signature (SHA-256, DER, low-S) made by this identity's key.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var key = Certificate.GetECDsaPublicKey()
            ?? throw new NotSupportedException("Only ECDSA identities are supported.");
        return EcdsaSignatures.Verify(key, message, signature);
    }
}
