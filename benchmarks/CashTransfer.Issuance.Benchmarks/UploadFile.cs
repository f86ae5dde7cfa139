using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Bulk;

namespace CashTransfer.Issuance.Benchmarks;

/// <summary>An entitlement upload of <c>rows</c> distinct beneficiaries (keyed hashes, as an agency computes them), written as it goes.</summary>
internal static class UploadFile
{
    public static async Task WriteAsync(string path, int rows, long amountMinor)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync(GrantRowReader.CsvHeader);
        for (var i = 0; i < rows; i++)
            await writer.WriteLineAsync($"{Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))},{amountMinor}");
    }
}
