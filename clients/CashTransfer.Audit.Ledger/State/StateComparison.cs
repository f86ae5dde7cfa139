using System.Text.Json;
using CashTransfer.Audit.Ledger.Checks;

namespace CashTransfer.Audit.Ledger.State;

/// <summary>How many keys of the rebuilt state were compared with the chaincode's answers, and what differed.</summary>
public sealed record StateComparisonResult(int KeysCompared, int KeysNotQueryable, IReadOnlyList<LedgerFinding> Findings);

/// <summary>
/// Compares every key the rebuilt state holds in the query's namespace with what the chaincode's queries return:
/// the value (as JSON when both sides are JSON, else byte for byte) and, when the query names it, the last writer.
/// </summary>
public static class StateComparison
{
    public static async Task<StateComparisonResult> RunAsync(RebuiltState state, IWorldStateQuery query, CancellationToken cancellationToken)
    {
        var findings = new List<LedgerFinding>();
        int compared = 0, notQueryable = 0;
        foreach (var (key, entry) in state.Keys(query.Namespace))
        {
            var answer = await query.QueryAsync(key, cancellationToken).ConfigureAwait(false);
            if (answer is null) { notQueryable++; continue; }
            compared++;
            var where = $"{query.Namespace}/{TransactionCheck.Printable(key)}";
            if (!answer.Exists)
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} = {Shorten(entry.Value.Span)}", "no value from the chaincode's query"));
            else if (!SameValue(entry.Value.Span, answer.Value.Span))
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} = {Shorten(entry.Value.Span)}", Shorten(answer.Value.Span)));
            else if (answer.LastTransactionId is { } writer && writer != entry.TxId)
                findings.Add(new(FindingKind.StateMismatch, entry.BlockNumber, entry.TxId, $"{where} last written by {entry.TxId}", $"last written by {writer}"));
        }
        return new StateComparisonResult(compared, notQueryable, findings);
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
