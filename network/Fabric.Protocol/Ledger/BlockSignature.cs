using Common;
using Fabric.Protocol.Identity;

namespace Fabric.Protocol.Ledger;

/// <summary>
/// One orderer signature over a block, from metadata slot SIGNATURES: who signed (the creator in its
/// signature header), the exact bytes that were signed, and the signature.
/// </summary>
public sealed record BlockSignature(SignatureHeader Header, X509Identity Signer, byte[] SignedBytes, byte[] Signature)
{
    /// <summary>True when the signature is the signer's valid, low-S ECDSA signature over <see cref="SignedBytes"/>.</summary>
    public bool Verify() => Signer.Verify(SignedBytes, Signature);
}
