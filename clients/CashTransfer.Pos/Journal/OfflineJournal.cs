using System.Text.Json;
using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using Dapper;
using CashTransfer.Api.Signing;
using Microsoft.Data.Sqlite;

namespace CashTransfer.Pos.Journal;

/// <summary>A batch of journal receipts being uploaded: the same receipts and the same Idempotency-Key until acknowledged.</summary>
public sealed record PendingBatch(string IdempotencyKey, long FromSequence, long ToSequence, IReadOnlyList<SignedReceipt> Receipts);

/// <summary>
/// A receipt's outcome as last fetched from the gateway: <paramref name="Status"/> is its <see cref="ReceiptState"/> at
/// the service, null until the service acknowledged it.
/// </summary>
public sealed record JournalOutcome(string RedemptionId, long Sequence, bool Acknowledged, string? Status, string? Reason)
{
    /// <summary>Where the receipt stands in the <see cref="ReceiptLifecycle"/>, <see cref="ReceiptState.Recorded"/> before the acknowledgement.</summary>
    public string State => Status ?? ReceiptState.Recorded;
}

/// <summary>
/// The terminal's offline journal (SQLite): every sale becomes a receipt with the next sequence number and the
/// hash of the previous receipt, signed with the terminal's key, and is stored before the sale completes. Receipts
/// are uploaded in batches; a batch keeps its receipts and Idempotency-Key until the gateway acknowledges it.
/// </summary>
/// <example><code>
/// using var signer = P256Signer.FromPem(File.ReadAllText("terminal.key"));
/// await using var journal = await OfflineJournal.OpenAsync("journal.db", "T-001", signer);
/// var receipt = await journal.RecordSaleAsync(beneficiaryHash, new Money(1250, "KES"), "food");
/// </code></example>
public sealed class OfflineJournal : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _connectionString;
    private readonly IP256Signer _signer;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _writer = new(1, 1);

    private OfflineJournal(string path, string terminalId, IP256Signer signer, TimeProvider clock)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        TerminalId = terminalId;
        _signer = signer;
        _clock = clock;
    }

    public string TerminalId { get; }

    public static async Task<OfflineJournal> OpenAsync(string path, string terminalId, IP256Signer signer, TimeProvider? clock = null)
    {
        if (!ReceiptRules.IsId(terminalId)) throw new ArgumentException("A terminal id is 1-64 letters, digits, '.', '_', ':' or '-'.", nameof(terminalId));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var journal = new OfflineJournal(path, terminalId, signer, clock ?? TimeProvider.System);
        await using var c = await journal.OpenAsync();
        await c.ExecuteAsync("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS receipts (
                sequence INTEGER PRIMARY KEY, redemption_id TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL, receipt_hash TEXT NOT NULL,
                signed_receipt TEXT NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0, status TEXT NULL, reason TEXT NULL);
            CREATE TABLE IF NOT EXISTS pending_batch (
                id INTEGER PRIMARY KEY CHECK (id = 1), idempotency_key TEXT NOT NULL, from_sequence INTEGER NOT NULL, to_sequence INTEGER NOT NULL);
            """);
        var other = await c.ExecuteScalarAsync<string?>("SELECT terminal_id FROM receipts WHERE terminal_id <> @terminalId LIMIT 1", new { terminalId });
        if (other is not null) throw new InvalidOperationException($"This journal belongs to terminal {other}, not {terminalId}.");
        return journal;
    }

    /// <summary>
    /// Records a sale: assigns the next sequence number, chains and signs the receipt, and stores it durably. The
    /// redemption id is a fresh one of this terminal unless given (then it must be this terminal's: see <see cref="IdRules.RedemptionIdRule"/>).
    /// </summary>
    public async Task<SignedReceipt> RecordSaleAsync(string beneficiaryHash, Money amount, string category, string? redemptionId = null, CancellationToken ct = default)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync();
            await using var tx = await c.BeginTransactionAsync(ct);
            var last = await c.QuerySingleOrDefaultAsync<LastRow>("SELECT sequence AS Sequence, receipt_hash AS ReceiptHash FROM receipts ORDER BY sequence DESC LIMIT 1", transaction: tx);
            var receipt = new Receipt(redemptionId ?? IdRules.NewRedemptionId(TerminalId), TerminalId, (last?.Sequence ?? 0) + 1,
                last?.ReceiptHash ?? ReceiptEncoding.GenesisHash, beneficiaryHash, amount, category, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            var problems = ReceiptRules.Problems(receipt);
            if (problems.Count > 0) throw new ArgumentException("The sale cannot be recorded: " + string.Join(" ", problems));
            var signed = ReceiptEncoding.Sign(receipt, _signer);
            await c.ExecuteAsync("INSERT INTO receipts (sequence, redemption_id, terminal_id, receipt_hash, signed_receipt) VALUES (@Sequence, @RedemptionId, @TerminalId, @hash, @json)",
                new { receipt.Sequence, receipt.RedemptionId, receipt.TerminalId, hash = signed.Hash, json = JsonSerializer.Serialize(signed, Json) }, tx);
            await tx.CommitAsync(ct);
            return signed;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The batch to upload next: the pending one if an upload is unfinished, else up to <paramref name="maxReceipts"/> unacknowledged receipts; null when all are acknowledged.</summary>
    public async Task<PendingBatch?> NextBatchAsync(int maxReceipts, CancellationToken ct = default)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync();
            var pending = await c.QuerySingleOrDefaultAsync<BatchRow>("SELECT idempotency_key AS IdempotencyKey, from_sequence AS FromSequence, to_sequence AS ToSequence FROM pending_batch");
            if (pending is null)
            {
                var range = (await c.QueryAsync<long>("SELECT sequence FROM receipts WHERE acknowledged = 0 ORDER BY sequence LIMIT @maxReceipts", new { maxReceipts })).AsList();
                if (range.Count == 0) return null;
                pending = new BatchRow { IdempotencyKey = $"{TerminalId}:{range[0]}-{range[^1]}:{Guid.NewGuid():N}", FromSequence = range[0], ToSequence = range[^1] };
                await c.ExecuteAsync("INSERT INTO pending_batch (id, idempotency_key, from_sequence, to_sequence) VALUES (1, @IdempotencyKey, @FromSequence, @ToSequence)", pending);
            }
            var receipts = (await c.QueryAsync<string>("SELECT signed_receipt FROM receipts WHERE sequence BETWEEN @FromSequence AND @ToSequence ORDER BY sequence", pending))
                .Select(j => JsonSerializer.Deserialize<SignedReceipt>(j, Json)!).ToList();
            return new PendingBatch(pending.IdempotencyKey, pending.FromSequence, pending.ToSequence, receipts);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Marks the batch's receipts acknowledged (stored by the gateway) and clears it.</summary>
    public async Task AcknowledgeAsync(PendingBatch batch, CancellationToken ct = default)
    {
        await using var c = await OpenAsync();
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE receipts SET acknowledged = 1, status = COALESCE(status, @received) WHERE sequence BETWEEN @fromSequence AND @toSequence",
            new { received = ReceiptState.Received, fromSequence = batch.FromSequence, toSequence = batch.ToSequence }, tx);
        await c.ExecuteAsync("DELETE FROM pending_batch", transaction: tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Stores the service's answer about a receipt, as far as the <see cref="ReceiptLifecycle"/> allows the move: a final
    /// state is never overwritten by an older answer, and a state this SDK does not know is not stored.
    /// </summary>
    public async Task SaveOutcomeAsync(string redemptionId, string status, string? reason, CancellationToken ct = default)
    {
        if (!ReceiptLifecycle.IsKnown(status)) return;
        await using var c = await OpenAsync();
        await c.ExecuteAsync("UPDATE receipts SET status = @status, reason = @reason WHERE redemption_id = @redemptionId AND (status IS NULL OR status IN @from)",
            new { redemptionId, status, reason, from = ReceiptLifecycle.From(status).ToArray() });
    }

    public async Task<IReadOnlyList<JournalOutcome>> OutcomesAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync();
        return (await c.QueryAsync<OutcomeRow>("SELECT redemption_id AS RedemptionId, sequence AS Sequence, acknowledged AS Acknowledged, status AS Status, reason AS Reason FROM receipts ORDER BY sequence"))
            .Select(r => new JournalOutcome(r.RedemptionId, r.Sequence, r.Acknowledged != 0, r.Status, r.Reason)).ToList();
    }

    /// <summary>The lowest sequence number whose outcome is not final yet (committed or rejected), or null.</summary>
    public async Task<long?> FirstUnfinishedSequenceAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync();
        return await c.ExecuteScalarAsync<long?>("SELECT MIN(sequence) FROM receipts WHERE acknowledged = 1 AND (status IS NULL OR status NOT IN (@committed, @rejected))",
            new { committed = ReceiptState.Committed, rejected = ReceiptState.Rejected });
    }

    /// <summary>
    /// Exports the journal at <paramref name="path"/> for reconciliation: every receipt in sequence order, one
    /// <see cref="SignedReceipt"/> JSON per line exactly as <c>POST /api/pos/receipt-batches</c> takes it (the file is
    /// named <c>&lt;terminalId&gt;.ndjson</c> by convention). Reads only: no key is needed, and a terminal may keep selling.
    /// </summary>
    /// <returns>The journal's terminal id (null when it holds no receipt) and the number of receipts written.</returns>
    public static async Task<(string? TerminalId, long Receipts)> ExportAsync(string path, Stream destination, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No journal at {path}.", path);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var c = new SqliteConnection(connectionString);
        await c.OpenAsync(ct);
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT terminal_id, signed_receipt FROM receipts ORDER BY sequence";
        await using var rows = await command.ExecuteReaderAsync(ct);
        await using var writer = new StreamWriter(destination, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        string? terminalId = null;
        long count = 0;
        while (await rows.ReadAsync(ct))
        {
            terminalId ??= rows.GetString(0);
            // Stored as written by RecordSaleAsync (web JSON of the signed receipt): the upload's shape, byte for byte.
            await writer.WriteLineAsync(rows.GetString(1));
            count++;
        }
        return (terminalId, count);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync();
        await c.ExecuteAsync("PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        return c;
    }

    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class LastRow { public long Sequence { get; set; } public string ReceiptHash { get; set; } = ""; }
    private sealed class BatchRow { public string IdempotencyKey { get; set; } = ""; public long FromSequence { get; set; } public long ToSequence { get; set; } }
    private sealed class OutcomeRow { public string RedemptionId { get; set; } = ""; public long Sequence { get; set; } public long Acknowledged { get; set; } public string? Status { get; set; } public string? Reason { get; set; } }
}
