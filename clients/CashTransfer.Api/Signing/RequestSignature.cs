using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CashTransfer.Api.Signing;

/// <summary>
/// Signed requests to the gateway service: the client signs, with its ECDSA P-256 key, a canonical text of the
/// method, path and query, time, idempotency key and body hash, and sends it in the headers below. The domain tag
/// keeps a request signature from ever being taken for a receipt signature made with the same key.
/// </summary>
public static class RequestSignature
{
    public const string Tag = "cashtransfer/request/v1";
    public const string KeyIdHeader = "X-CashTransfer-Key";
    public const string TimestampHeader = "X-CashTransfer-Timestamp";
    public const string SignatureHeader = "X-CashTransfer-Signature";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    /// <summary>
    /// The body's SHA-256 (lowercase hex), the same value the signature covers: with it the gateway checks the signature
    /// before it reads the body. Required for bodies over 64 KiB.
    /// </summary>
    public const string ContentHashHeader = "X-CashTransfer-Content-SHA256";

    /// <summary>Key ids name the kind of client and its id, e.g. <c>terminal/T-001</c> or <c>operator/wfp-ops-1</c>.</summary>
    public static string TerminalKeyId(string terminalId) => "terminal/" + terminalId;

    /// <summary>The bytes that are signed.</summary>
    public static byte[] CanonicalBytes(string method, string pathAndQuery, long timestampUnixMs, string? idempotencyKey, ReadOnlySpan<byte> bodySha256) =>
        Encoding.UTF8.GetBytes(string.Join('\n',
            Tag,
            method.ToUpperInvariant(),
            pathAndQuery,
            timestampUnixMs.ToString(CultureInfo.InvariantCulture),
            idempotencyKey ?? "",
            Convert.ToHexStringLower(bodySha256)));

    /// <summary>SHA-256 of an empty body.</summary>
    public static byte[] EmptyBodyHash() => SHA256.HashData(ReadOnlySpan<byte>.Empty);
}
