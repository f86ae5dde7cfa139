using System.Security.Cryptography;
using CashTransfer.Contracts;
using Fabric.Protocol.Identity;
using Fabric.Ecdsa;

namespace CashTransfer.Chaincode.Domain;

/// <summary>How the chaincode checks a terminal's signature over <see cref="ReceiptEncoding"/> bytes against its registered key.</summary>
public static class ReceiptSignatures
{
    extension(ReceiptEncoding)
    {
        /// <summary>True when <paramref name="base64Signature"/> is a valid low-S DER ECDSA P-256/SHA-256 signature of <paramref name="message"/> by the PEM key.</summary>
        public static bool Verify(string publicKeyPem, byte[] message, string base64Signature)
        {
            byte[] signature;
            try { signature = Convert.FromBase64String(base64Signature); }
            catch (FormatException) { return false; }
            using var key = ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            return EcdsaSignatures.Verify(key, message, signature);
        }
    }
}
