using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Bulk;

/// <summary>
/// The rows of an upload in the order they are issued: by beneficiary hash, then by row. Chunks of consecutive
/// beneficiaries let the chaincode find the ones already issued with one range read over the programme's index instead of
/// one lookup per grant, and a beneficiary's repeated rows come together, its first row first. The order depends only on
/// the file, so a job that resumes after a restart goes on in the same order. Hashes are kept as 32 bytes: a million
/// rows take about 64 MB.
/// </summary>
public static class UploadWorkOrder
{
    /// <summary>One row; <see cref="Problem"/> is set when the ledger would refuse it on its own (its hash is then not kept).</summary>
    public readonly record struct Item(UInt128 High, UInt128 Low, long Row, long AmountMinor, string? Problem)
    {
        public string? BeneficiaryHash
        {
            get
            {
                if (Problem is not null) return null;
                Span<byte> bytes = stackalloc byte[32];
                BinaryPrimitives.WriteUInt128BigEndian(bytes[..16], High);
                BinaryPrimitives.WriteUInt128BigEndian(bytes[16..], Low);
                return Convert.ToHexStringLower(bytes);
            }
        }

        public bool SameBeneficiaryAs(Item other) => Problem is null && other.Problem is null && High == other.High && Low == other.Low;
    }

    /// <summary>
    /// Reads every row of the upload and sorts them: rows with a problem first (in row order), then by hash and row.
    /// <c>Rows</c> counts every row of the file; past <paramref name="maxRows"/> rows are counted, not kept, and
    /// <c>Items</c> is null.
    /// </summary>
    public static async Task<(List<Item>? Items, long Rows)> ReadAsync(string path, string format, long maxRows, CancellationToken ct)
    {
        // Sized once: a CSV row of a valid grant takes at least 67 bytes (hash, comma, a digit, newline), so this is about
        // the row count of a CSV upload and more than that of a JSON one. A million rows are 48 MB of items.
        var items = new List<Item>((int)Math.Min(Math.Min(new FileInfo(path).Length / 67 + 1, maxRows + 1), 1 << 24));
        long rows = 0;
        var bytes = new byte[32];
        await foreach (var row in GrantRowReader.ReadAsync(path, format, ct))
        {
            if (++rows > maxRows)
            {
                items = null;
                continue;
            }
            if (items is null) continue;
            if (Problem(row) is { } problem)
            {
                items.Add(new Item(0, 0, row.Row, row.AmountMinor, problem));
                continue;
            }
            Convert.FromHexString(row.BeneficiaryHash!, bytes, out _, out _); // 64 hex characters: checked by Problem
            items.Add(new Item(BinaryPrimitives.ReadUInt128BigEndian(bytes.AsSpan(0, 16)), BinaryPrimitives.ReadUInt128BigEndian(bytes.AsSpan(16)), row.Row, row.AmountMinor, null));
        }
        CollectionsMarshal.AsSpan(items).Sort(new IssueOrder());
        return (items, rows);
    }

    // A struct comparer: the sort is specialised for it (a million rows sort in about half the time a delegate takes).
    private readonly struct IssueOrder : IComparer<Item>
    {
        public int Compare(Item a, Item b)
        {
            var byProblem = (a.Problem is null).CompareTo(b.Problem is null);
            if (byProblem != 0) return byProblem;
            var byHigh = a.High.CompareTo(b.High);
            if (byHigh != 0) return byHigh;
            var byLow = a.Low.CompareTo(b.Low);
            return byLow != 0 ? byLow : a.Row.CompareTo(b.Row);
        }
    }

    /// <summary>Why the ledger would refuse the row on its own, or null; checked here so that one bad row does not refuse its chunk.</summary>
    private static string? Problem(GrantRow row) =>
        row.Problem
        ?? (!ReceiptRules.IsHash(row.BeneficiaryHash) ? "beneficiaryHash must be 64 lowercase hex characters (a keyed hash, never personal data)."
        : row.AmountMinor <= 0 ? "amountMinor must be positive."
        : row.AmountMinor > Money.MaxMinor ? Money.TooLarge("amountMinor", row.AmountMinor)
        : null);
}
