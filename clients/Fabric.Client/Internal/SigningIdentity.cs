using System.Security.Cryptography;
using Fabric.Protocol.Identity;

namespace Fabric.Client.Internal;

/// <summary>The client's identity with its signer; hands out the serialized creator and signs messages.</summary>
internal sealed class SigningIdentity
{
    private readonly ISigner? _signer;
    private readonly byte[] _creator;

    public SigningIdentity(X509Identity identity, ISigner? signer)
    {
        Identity = identity;
        _signer = signer;
        _creator = identity.ToSerializedIdentity();
    }

    public X509Identity Identity { get; }

    /// <summary>False for an offline-signing gateway: requests must arrive signed.</summary>
    public bool CanSign => _signer is not null;

    /// <summary>Serialized <c>msp.SerializedIdentity</c>; a copy so that callers cannot change what we sign as.</summary>
    public byte[] Creator => (byte[])_creator.Clone();

    /// <summary>The digest that offline signers sign: SHA-256 of the message, as Fabric verifies.</summary>
    public static byte[] Digest(ReadOnlySpan<byte> message) => SHA256.HashData(message);

    public byte[] Sign(ReadOnlySpan<byte> message) =>
        _signer?.Sign(message) ?? throw new InvalidOperationException(
            "This gateway has no signer: sign offline (use Bytes/Digest, then the Gateway's NewSigned* methods), " +
            "or connect with an ISigner.");
}
