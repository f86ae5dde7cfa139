using System.Text.Json;
using CashTransfer.Audit.Ledger.Checks;

namespace CashTransfer.Audit.Ledger.State;

/// <summary>
/// How many keys of the rebuilt state were compared with the chaincode's answers, how many of them were written again
/// after the verified height (compared with their version as of that height), and what differed.
/// </summary>
public sealed record StateComparisonResult(int KeysCompared, int KeysNotQueryable, int KeysRewrittenAboveHeight, IReadOnlyList<LedgerFinding> Findings);

/// <summary>
/// Compares every key the rebuilt state (blocks below <c>height</c>) holds in the query's namespace with the chaincode's
/// history of that key: the version written by the transaction the rebuilt state names must hold the same value (as
/// JSON when both sides are JSON, else byte for byte), and every newer version must come from a block at or above the
/// height. A network keeps committing while an auditor verifies it, so later writes are expected; a later version
/// from a block below the height means the rebuilt state and the peer disagree.
/// </summary>
public static class StateComparison
{
    /// <summary>The block that holds a transaction, or null when the peer knows no such transaction.</summary>
    public delegate Task<ulong?> BlockOfTransaction(string txId, CancellationToken cancellationToken);

    public static async Task<StateComparisonResult> RunAsync(RebuiltState state, ulong height, IWorldStateQuery query, BlockOfTransaction blockOf,
        CancellationToken cancellationToken, IProgress<(int Checked, int Keys)>? progress = null)
    {
        var findings = new List<LedgerFinding>();
        var blocks = new Dictionary<string, ulong?>(StringComparer.Ordinal);   // one chunk's transaction writes many keys
        int compared = 0, notQueryable = 0, rewrittenAbove = 0;
        var keys = state.Keys(query.Namespace).ToList();
        foreach (var (key, entry) in keys)
        {
            progress?.Report((compared + notQueryable, keys.Count));
            if (!query.Reaches(key)) { notQueryable++; continue; }
            compared++;
            var where = $"{query.Namespace}/{TransactionCheck.Printable(key)}";
            KeyVersion? newest = null, oldestNewer = null, verified = null;
            await foreach (var version in query.VersionsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                newest ??= version;
                if (version.TxId == entry.TxId) { verified = version; break; }
                oldestNewer = version;
            }

            if (newest is null)
            {
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} = {Shorten(entry.Value.Span)}", "no value from the chaincode's query"));
                continue;
            }
            if (verified is null)
            {
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} last written by {entry.TxId}", $"last written by {newest.TxId}; the key's history has no version by {entry.TxId}"));
                continue;
            }
            if (oldestNewer is not null)
            {
                if (!blocks.TryGetValue(oldestNewer.TxId, out var block))
                    blocks[oldestNewer.TxId] = block = await blockOf(oldestNewer.TxId, cancellationToken).ConfigureAwait(false);
                if (block is null || block < height)
                {
                    var found = block is null ? "the peer knows no block of that transaction" : $"in block {block}";
                    findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} last written below height {height} by {entry.TxId}", $"written again by {oldestNewer.TxId} {found}"));
                    continue;
                }
                rewrittenAbove++;
            }
            if (verified.IsDelete)
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} = {Shorten(entry.Value.Span)}", $"deleted by {entry.TxId}"));
            else if (!SameValue(entry.Value.Span, verified.Value.Span))
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} = {Shorten(entry.Value.Span)}", Shorten(verified.Value.Span)));
        }
        progress?.Report((keys.Count, keys.Count));
        return new StateComparisonResult(compared, notQueryable, rewrittenAbove, findings);
    }

    private static bool SameValue(ReadOnlySpan<byte> rebuilt, ReadOnlySpan<byte> queried)
    {
        if (rebuilt.SequenceEqual(queried)) return true;
        try
        {
            using var a = JsonDocument.Parse(rebuilt.ToArray());
            using var b = JsonDocument.Parse(queried.ToArray());
            return JsonElement.DeepEquals(a.RootElement, b.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(ReadOnlySpan<byte> value)
    {
        var text = System.Text.Encoding.UTF8.GetString(value);
        return text.Length <= 160 ? text : text[..160] + "…";
    }
}
