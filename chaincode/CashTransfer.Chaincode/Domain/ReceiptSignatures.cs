using System.Security.Cryptography;
using CashTransfer.Contracts;
using Fabric.Ecdsa;

namespace CashTransfer.Chaincode.Domain;

/// <summary>How the chaincode checks a terminal's signature over <see cref="ReceiptEncoding"/> bytes against its registered key.</summary>
public static class ReceiptSignatures
{
    /// <summary>The most keys one thread keeps imported; past it the thread's keys are dropped and imported again.</summary>
    public const int KeysKeptPerThread = 1024;

    // Importing a PEM key (which checks the point is on the curve) costs about twice the verification itself, and every
    // sale of a terminal checks the same key. Kept per thread: ECDsa does not promise that one instance may be used
    // from several threads at once.
    [ThreadStatic] private static Dictionary<string, ECDsa?>? t_keys;

    extension(ReceiptEncoding)
    {
        /// <summary>True when <paramref name="base64Signature"/> is a valid low-S DER ECDSA P-256/SHA-256 signature of <paramref name="message"/> by the PEM key.</summary>
        public static bool Verify(string publicKeyPem, byte[] message, string base64Signature)
        {
            byte[] signature;
            try { signature = Convert.FromBase64String(base64Signature); }
            catch (FormatException) { return false; }
            return Key(publicKeyPem) is { } key && EcdsaSignatures.Verify(key, message, signature);
        }
    }

    private static ECDsa? Key(string pem)
    {
        var keys = t_keys ??= new Dictionary<string, ECDsa?>(StringComparer.Ordinal);
        if (keys.TryGetValue(pem, out var known)) return known;
        if (keys.Count >= KeysKeptPerThread)
        {
            foreach (var key in keys.Values) key?.Dispose();
            keys.Clear();
        }
        return keys[pem] = EcdsaKeys.TryImportPem(pem);
    }
}
