using System.Security.Cryptography;

namespace Fabric.Ecdsa;

/// <summary>Reading an ECDSA key that someone else sent, where an unusable key is an answer, not a fault.</summary>
public static class EcdsaKeys
{
    /// <summary>The key in <paramref name="pem"/>, or null when it is not a PEM ECDSA key .NET can use.</summary>
    public static ECDsa? TryImportPem(string? pem) => TryImport(key => key.ImportFromPem(pem));

    /// <summary>The key in a DER SubjectPublicKeyInfo, or null when it is not an ECDSA key .NET can use.</summary>
    public static ECDsa? TryImportSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var bytes = subjectPublicKeyInfo.ToArray();
        return TryImport(key => key.ImportSubjectPublicKeyInfo(bytes, out _));
    }

    private static ECDsa? TryImport(Action<ECDsa> import)
    {
        var key = ECDsa.Create();
        try
        {
            import(key);
            return key;
        }
        // A curve .NET does not know is PlatformNotSupportedException, not CryptographicException (found by the REST fuzzer).
        catch (Exception e) when (e is ArgumentException or CryptographicException or PlatformNotSupportedException)
        {
            key.Dispose();
            return null;
        }
    }
}
