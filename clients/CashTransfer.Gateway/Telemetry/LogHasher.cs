using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Options;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Telemetry;

/// <summary>
/// Stands in for a beneficiary in log lines: a keyed hash (HMAC-SHA-256, first 12 hex characters) of the
/// beneficiary hash, so that logs can correlate lines about one beneficiary without carrying the ledger key.
/// </summary>
public sealed class LogHasher(IOptions<ServiceOptions> options)
{
    private readonly byte[] _key = string.IsNullOrEmpty(options.Value.LogHashKey)
        ? RandomNumberGenerator.GetBytes(32)
        : Encoding.UTF8.GetBytes(options.Value.LogHashKey);

    public string Beneficiary(string beneficiaryHash) =>
        "b:" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(beneficiaryHash)))[..12];
}
