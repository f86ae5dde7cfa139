namespace Fabric.Client;

/// <summary>
/// A request that can be signed elsewhere (offline signing, HSM, KMS): hand out <see cref="Digest"/> to be
/// signed, keep <see cref="Bytes"/>, and later rebuild the signed request with the Gateway's
/// <c>NewSigned*</c> method from those bytes and the signature.
/// </summary>
public interface ISignable
{
    /// <summary>The serialized request, to store or send to where it will be signed.</summary>
    byte[] Bytes { get; }

    /// <summary>SHA-256 of the message that the signature covers: what an offline signer signs.</summary>
    byte[] Digest { get; }

    /// <summary>True once the request carries a signature.</summary>
    bool IsSigned { get; }
}
