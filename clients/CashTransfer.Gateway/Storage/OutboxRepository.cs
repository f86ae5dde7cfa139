using CashTransfer.Api;
using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>The durable outbox of receipts: written by the intake, worked through by the submitter.</summary>
public sealed class OutboxRepository(IDatabase database)
{
    // The submitter's per-receipt moves, committed in groups (see GroupCommit).
    private readonly GroupCommit _moves = new(database);

    private const string Columns = "redemption_id AS RedemptionId, terminal_id AS TerminalId, sequence AS Sequence, receipt_hash AS ReceiptHash, " +
        "signed_receipt AS SignedReceipt, status AS Status, reason AS Reason, reason_detail AS ReasonDetail, attempts AS Attempts, " +
        "last_error AS LastError, tx_id AS TxId, prepared_envelope AS PreparedEnvelope, prepared_result AS PreparedResult, prepared_tx AS PreparedTx, " +
        "outcome AS Outcome, received_at AS ReceivedAt, " +
        "next_attempt_at AS NextAttemptAt, lease_until AS LeaseUntil, updated_at AS UpdatedAt";

    /// <summary>Forgets the endorsed transaction, in either of the forms it has been kept in.</summary>
    private const string NoStoredTransaction = "prepared_tx = NULL, prepared_envelope = NULL, prepared_result = NULL";

    public Task InsertAsync(Session session, OutboxEntry e) => session.Connection.ExecuteAsync(
        "INSERT INTO outbox (redemption_id, terminal_id, sequence, receipt_hash, signed_receipt, status, attempts, received_at, next_attempt_at, lease_until, updated_at) " +
        "VALUES (@RedemptionId, @TerminalId, @Sequence, @ReceiptHash, @SignedReceipt, @Status, 0, @ReceivedAt, @NextAttemptAt, 0, @UpdatedAt)", e, session.Transaction);

    /// <summary>The entries with these redemption ids (inside a transaction, so that the answer holds until commit).</summary>
    public async Task<IReadOnlyList<OutboxEntry>> FindAsync(Session session, IReadOnlyCollection<string> redemptionIds)
    {
        var found = new List<OutboxEntry>();
        foreach (var chunk in redemptionIds.Chunk(500))
            found.AddRange(await session.Connection.QueryAsync<OutboxEntry>(
                $"SELECT {Columns} FROM outbox WHERE {database.InList("redemption_id", "ids")}", new { ids = chunk }, session.Transaction));
        return found;
    }

    public async Task<OutboxEntry?> FindAsync(string redemptionId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<OutboxEntry>($"SELECT {Columns} FROM outbox WHERE redemption_id = @redemptionId", new { redemptionId });
    }

    public async Task<IReadOnlyList<OutboxEntry>> FindManyAsync(IReadOnlyCollection<string> redemptionIds, CancellationToken ct = default)
    {
        await using var session = await database.BeginAsync(ct);
        return await FindAsync(session, redemptionIds);
    }

    /// <summary>A terminal's receipts from a sequence number on, in journal order.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListByTerminalAsync(string terminalId, long fromSequence, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<OutboxEntry>(
            $"SELECT {Columns} FROM outbox WHERE terminal_id = @terminalId AND sequence >= @fromSequence ORDER BY sequence LIMIT @limit",
            new { terminalId, fromSequence, limit })).AsList();
    }

    // A receipt is ready when it is due and not leased, and no earlier unfinished receipt of its terminal waits for a
    // retry or is leased by another instance: each terminal's receipts are claimed in journal order, by one instance at
    // a time. Earlier receipts this instance holds do not block: it orders them itself (ReceiptOrder).
    private static readonly string OpenStates = string.Join(", ", ReceiptLifecycle.Open.Select(s => $"'{s}'"));

    // Each terminal's first blocking receipt, found in one pass over the open receipts. (A NOT EXISTS per candidate
    // looked at all of its terminal's earlier receipts: 31 ms a claim with 10,000 receipts waiting, in the gateway
    // benchmark's backlog, under SQLite's write lock.)
    private static readonly string BlockedFrom =
        $"SELECT terminal_id, MIN(sequence) AS from_sequence FROM outbox WHERE status IN ({OpenStates}) " +
        "AND (next_attempt_at > @nowMs OR (lease_until > @nowMs AND (lease_owner IS NULL OR lease_owner <> @owner))) GROUP BY terminal_id";

    private static readonly string ReadyRows =
        $"outbox o LEFT JOIN ({BlockedFrom}) b ON b.terminal_id = o.terminal_id " +
        $"WHERE o.status IN ({OpenStates}) AND o.next_attempt_at <= @nowMs AND o.lease_until <= @nowMs " +
        "AND (b.from_sequence IS NULL OR o.sequence < b.from_sequence)";

    /// <summary>
    /// Leases up to <paramref name="limit"/> ready entries (see <see cref="ReadyRows"/>) to <paramref name="owner"/> (one
    /// submitter instance) for <paramref name="lease"/>; other instances skip them meanwhile. Terminals take turns:
    /// each one's first ready receipt, then each one's second, and so on; at equal turns a terminal in
    /// <paramref name="busyTerminals"/> (the owner already works on its receipts) comes last. Returned in terminal and
    /// sequence order; of each terminal only the run before a receipt that could not be leased.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, string owner,
        IReadOnlyCollection<string>? busyTerminals = null, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var busy = busyTerminals is { Count: > 0 } ? busyTerminals.ToArray() : null;
        await using var session = await database.BeginAsync(ct);
        var due = (await session.Connection.QueryAsync<OutboxEntry>(
            $"SELECT {Columns} FROM outbox WHERE redemption_id IN (" +
            "SELECT redemption_id FROM (" +
            $"SELECT o.redemption_id, o.received_at, o.terminal_id, ROW_NUMBER() OVER (PARTITION BY o.terminal_id ORDER BY o.sequence) AS turn FROM {ReadyRows}" +
            $") ready ORDER BY turn, {(busy is null ? "" : $"CASE WHEN {database.InList("terminal_id", "busy")} THEN 1 ELSE 0 END, ")}received_at LIMIT @limit) " +
            // Checked again on the row itself: another instance may have leased it since the inner query's snapshot
            // (PostgreSQL re-reads a row it locks); rows another instance is claiming right now are passed over.
            $"AND lease_until <= @nowMs AND status IN ({OpenStates}) " +
            $"ORDER BY terminal_id, sequence{database.ForUpdateSkipLocked}", new { nowMs, limit, owner, busy }, session.Transaction)).AsList();
        var until = nowMs + (long)lease.TotalMilliseconds;
        var leased = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in due.Chunk(500))
            leased.UnionWith(await session.Connection.QueryAsync<string>(
                $"UPDATE outbox SET lease_until = @until, lease_owner = @owner WHERE {database.InList("redemption_id", "ids")} AND lease_until <= @nowMs RETURNING redemption_id",
                new { until, owner, nowMs, ids = chunk.Select(e => e.RedemptionId).ToArray() }, session.Transaction));
        await session.CommitAsync(ct);
        var claimed = new List<OutboxEntry>();
        foreach (var terminal in due.GroupBy(e => e.TerminalId))
            foreach (var entry in terminal)
            {
                if (!leased.Contains(entry.RedemptionId)) break;
                entry.LeaseUntil = until;
                claimed.Add(entry);
            }
        return claimed;
    }

    /// <summary>
    /// Extends to <paramref name="renewedUntil"/> the lease of those entries that <paramref name="owner"/> still holds
    /// (unfinished, not taken over by another instance after its lease ran out); returns how many it still held.
    /// </summary>
    public async Task<int> RenewLeasesAsync(string owner, IReadOnlyCollection<string> redemptionIds, long renewedUntil, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var renewed = 0;
        foreach (var chunk in redemptionIds.Chunk(500))
            renewed += await connection.ExecuteAsync(
                $"UPDATE outbox SET lease_until = @renewedUntil WHERE {database.InList("redemption_id", "ids")} AND lease_owner = @owner AND lease_until > 0 AND status IN ({OpenStates})",
                new { ids = chunk, owner, renewedUntil });
        return renewed;
    }

    /// <summary>Gives back the leases <paramref name="owner"/> holds on entries it did not finish (a stop, a failure), so that the next claim picks them up at once.</summary>
    public async Task ReleaseLeasesAsync(string owner, IReadOnlyCollection<string> redemptionIds, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in redemptionIds.Chunk(500))
            await connection.ExecuteAsync($"UPDATE outbox SET lease_until = 0, lease_owner = NULL WHERE {database.InList("redemption_id", "ids")} AND lease_owner = @owner",
                new { ids = chunk, owner });
    }

    /// <summary>
    /// Stores the endorsed transaction before it is sent, and marks the receipt submitted: from now on only this
    /// transaction is sent for it, and only after its commit status showed it is not in a block.
    /// </summary>
    public Task<bool> SavePreparedAsync(string redemptionId, string txId, byte[] envelope, byte[] result, DateTimeOffset now, CancellationToken ct = default) =>
        MoveAsync(redemptionId, ReceiptState.Submitted,
            "tx_id = @txId, prepared_envelope = @envelope, prepared_result = @result, prepared_tx = NULL, attempts = attempts + 1, last_error = NULL",
            new { txId, envelope, result }, now, ct);

    public Task<bool> MarkCommittedAsync(string redemptionId, string outcome, DateTimeOffset now, CancellationToken ct = default) =>
        MoveAsync(redemptionId, ReceiptState.Committed, "outcome = @outcome, reason = NULL, reason_detail = NULL, last_error = NULL, lease_until = 0, lease_owner = NULL, " + NoStoredTransaction,
            new { outcome }, now, ct);

    public Task<bool> MarkRejectedAsync(string redemptionId, string reason, string detail, string? outcome, DateTimeOffset now, CancellationToken ct = default) =>
        MoveAsync(redemptionId, ReceiptState.Rejected, "reason = @reason, reason_detail = @detail, outcome = @outcome, lease_until = 0, lease_owner = NULL, " + NoStoredTransaction,
            new { reason, detail, outcome }, now, ct);

    /// <summary>Drops the endorsed transaction (it was invalidated, e.g. by an MVCC conflict) so that the receipt is endorsed afresh.</summary>
    public Task<bool> ResetForEndorsementAsync(string redemptionId, string error, DateTimeOffset nextAttempt, DateTimeOffset now, CancellationToken ct = default) =>
        MoveAsync(redemptionId, ReceiptState.Received, "tx_id = NULL, " + NoStoredTransaction + ", last_error = @error, next_attempt_at = @next, lease_until = 0, lease_owner = NULL",
            new { error, next = nextAttempt.ToUnixTimeMilliseconds() }, now, ct);

    /// <summary>
    /// Records a failed attempt and when to try again; the receipt keeps its transaction. <paramref name="state"/> is
    /// received or submitted: whether its stored transaction is on its way (see <see cref="ReceiptState"/>).
    /// </summary>
    public Task<bool> RecordFailureAsync(string redemptionId, string state, string error, DateTimeOffset nextAttempt, DateTimeOffset now, bool countAttempt, CancellationToken ct = default) =>
        MoveAsync(redemptionId, state, (countAttempt ? "attempts = attempts + 1, " : "") + "last_error = @error, next_attempt_at = @next, lease_until = 0, lease_owner = NULL",
            new { error, next = nextAttempt.ToUnixTimeMilliseconds() }, now, ct);

    /// <summary>
    /// Moves a receipt to <paramref name="to"/> and sets the other columns, only from a state the lifecycle allows
    /// (<see cref="ReceiptLifecycle.From"/>): a decided receipt is never changed again. False when the move was refused.
    /// Returns once the move is durable; moves of many receipts share one transaction.
    /// </summary>
    private async Task<bool> MoveAsync(string redemptionId, string to, string set, object columns, DateTimeOffset now, CancellationToken ct)
    {
        var parameters = new DynamicParameters(columns);
        parameters.AddDynamicParams(new { redemptionId, to, from = ReceiptLifecycle.From(to).ToArray(), now = now.ToUnixTimeMilliseconds() });
        return await _moves.ExecuteAsync(
            $"UPDATE outbox SET status = @to, {set}, updated_at = @now WHERE redemption_id = @redemptionId AND {database.InList("status", "from")}", parameters, ct) == 1;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM outbox GROUP BY status");
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }
}
