using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Sources;

/// <summary>
/// A terminal's exported journal, <c>&lt;terminalId&gt;.ndjson</c>: each line one <see cref="SignedReceipt"/> as
/// <c>POST /api/pos/receipt-batches</c> takes it, in journal order. A line that is not a well-formed receipt of that
/// terminal (cut off, edited, another terminal's) comes out as a malformed line with its number, never skipped.
/// Signatures are not checked here: the reconciliation checks them against the terminal's registered key.
/// </summary>
public sealed class JournalFile(string name, Func<Stream> open) : IJournalSource
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name { get; } = name;

    /// <summary>The terminal the file name says the journal belongs to.</summary>
    public string TerminalId => Path.GetFileNameWithoutExtension(Name);

    public static JournalFile FromPath(string path) => new(Path.GetFileName(path), () => File.OpenRead(path));

    public async IAsyncEnumerable<JournalLine> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = open();
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
        long number = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return Parse(text, number);
        }
    }

    private JournalLine Parse(string text, long number)
    {
        SignedReceipt? signed;
        try { signed = JsonSerializer.Deserialize<SignedReceipt>(text, Json); }
        catch (JsonException e) { return JournalLine.Malformed(Name, number, $"not a JSON receipt ({e.Message})"); }
        if (signed?.Receipt is null || string.IsNullOrEmpty(signed.Signature))
            return JournalLine.Malformed(Name, number, "not a signed receipt (receipt or signature missing)");
        var problems = ReceiptRules.Problems(signed.Receipt);
        if (problems.Count > 0) return JournalLine.Malformed(Name, number, string.Join(" ", problems));
        if (signed.Receipt.TerminalId != TerminalId)
            return JournalLine.Malformed(Name, number, $"a receipt of terminal {signed.Receipt.TerminalId} in the journal of {TerminalId}");
        return JournalLine.Of(Name, number, signed, signatureChecked: false);
    }
}
