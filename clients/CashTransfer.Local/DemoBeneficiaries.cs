using System.Security.Cryptography;
using System.Text;

namespace CashTransfer.Local;

/// <summary>
/// Demo beneficiaries as the ledger sees them: keyed hashes (HMAC-SHA-256) of a common identifier, the way an
/// agency's off-chain CommonID tool computes them. The identifiers here are synthetic; no personal data exists.
/// </summary>
public static class DemoBeneficiaries
{
    private static readonly byte[] DemoKey = SHA256.HashData("cashtransfer-demo-commonid-key"u8);

    public static string Hash(string runId, int index) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(DemoKey, Encoding.UTF8.GetBytes($"{runId}/beneficiary/{index}")));
}
