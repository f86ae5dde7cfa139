using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>The durable outbox of receipts: written by the intake, worked through by the submitter.</summary>
public sealed class OutboxRepository(IDatabase database)
{
    private const string Columns = "redemption_id AS RedemptionId, terminal_id AS TerminalId, sequence AS Sequence, receipt_hash AS ReceiptHash, " +
        "signed_receipt AS SignedReceipt, status AS Status, reason AS Reason, reason_detail AS ReasonDetail, attempts AS Attempts, " +
        "last_error AS LastError, tx_id AS TxId, prepared_tx AS PreparedTx, outcome AS Outcome, received_at AS ReceivedAt, " +
        "next_attempt_at AS NextAttemptAt, lease_until AS LeaseUntil, updated_at AS UpdatedAt";

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

    // A receipt is ready when it is due, not leased, and no earlier unfinished receipt of its terminal waits for a retry
    // or is leased elsewhere, so that each terminal's receipts reach the ledger in journal order.
    private const string Ready =
        "o.status IN ('received', 'submitted') AND o.next_attempt_at <= @nowMs AND o.lease_until <= @nowMs " +
        "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.terminal_id = o.terminal_id AND e.sequence < o.sequence AND e.status IN ('received', 'submitted') " +
        "AND (e.next_attempt_at > @nowMs OR e.lease_until > @nowMs))";

    /// <summary>The terminals that have a receipt ready to claim, each with the time its oldest ready receipt arrived.</summary>
    public async Task<IReadOnlyList<ReadyTerminal>> ReadyTerminalsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ReadyTerminal>(
            $"SELECT o.terminal_id AS TerminalId, MIN(o.received_at) AS OldestReceivedAt FROM outbox o WHERE {Ready} GROUP BY o.terminal_id",
            new { nowMs = now.ToUnixTimeMilliseconds() })).AsList();
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> ready entries (received or submitted, next attempt reached, no live lease;
    /// see <see cref="Ready"/>) to this submitter for <paramref name="lease"/>; another submitter skips them meanwhile.
    /// With <paramref name="terminals"/>, only those terminals' entries. Returned in terminal and sequence order.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, IReadOnlyCollection<string>? terminals = null, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var session = await database.BeginAsync(ct);
        // Terminals take turns: each terminal's first due receipt, then each one's second, and so on. Claiming in arrival
        // order alone let one terminal's backlog of thousands fill every claim while the other terminals waited.
        var due = (await session.Connection.QueryAsync<OutboxEntry>(
            $"SELECT {Columns} FROM outbox WHERE redemption_id IN (" +
            "SELECT redemption_id FROM (" +
            "SELECT redemption_id, received_at, ROW_NUMBER() OVER (PARTITION BY terminal_id ORDER BY sequence) AS turn FROM outbox o " +
            $"WHERE {Ready}{(terminals is null ? "" : " AND " + database.InList("o.terminal_id", "terminals"))}" +
            ") ready ORDER BY turn, received_at LIMIT @limit) " +
            // Checked again on the row itself: another instance may have leased it since the inner query's snapshot
            // (PostgreSQL re-reads a row it locks); rows another instance is claiming right now are passed over.
            "AND lease_until <= @nowMs AND status IN ('received', 'submitted') " +
            $"ORDER BY terminal_id, sequence{database.ForUpdateSkipLocked}", new { nowMs, limit, terminals = terminals?.ToArray() }, session.Transaction)).AsList();
        var until = nowMs + (long)lease.TotalMilliseconds;
        var leased = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in due.Chunk(500))
            leased.UnionWith(await session.Connection.QueryAsync<string>(
                $"UPDATE outbox SET lease_until = @until WHERE {database.InList("redemption_id", "ids")} AND lease_until <= @nowMs RETURNING redemption_id",
                new { until, nowMs, ids = chunk.Select(e => e.RedemptionId).ToArray() }, session.Transaction));
        await session.CommitAsync(ct);
        // Only what this claim leased; and of each terminal only the run before a receipt it could not lease, so that
        // a terminal's receipts are still decided in journal order.
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
    /// Extends the lease of entries still held with <paramref name="leaseUntil"/> (the value this submitter set) to
    /// <paramref name="renewedUntil"/>, while their work goes on; returns how many it still held.
    /// </summary>
    public async Task<int> RenewLeasesAsync(IReadOnlyCollection<string> redemptionIds, long leaseUntil, long renewedUntil, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var renewed = 0;
        foreach (var chunk in redemptionIds.Chunk(500))
            renewed += await connection.ExecuteAsync($"UPDATE outbox SET lease_until = @renewedUntil WHERE {database.InList("redemption_id", "ids")} AND lease_until = @leaseUntil",
                new { ids = chunk, leaseUntil, renewedUntil });
        return renewed;
    }

    /// <summary>Gives back the leases of entries this submitter claimed but did not finish (graceful stop), so that the next run picks them up at once.</summary>
    public async Task ReleaseLeasesAsync(IReadOnlyCollection<string> redemptionIds, long leaseUntil, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in redemptionIds.Chunk(500))
            await connection.ExecuteAsync($"UPDATE outbox SET lease_until = 0 WHERE {database.InList("redemption_id", "ids")} AND lease_until = @leaseUntil", new { ids = chunk, leaseUntil });
    }

    /// <summary>
    /// Stores the endorsed transaction before it is sent, and marks the receipt submitted: from now on only this
    /// transaction is sent for it, and only after its commit status showed it is not in a block.
    /// </summary>
    public Task SavePreparedAsync(string redemptionId, string txId, string preparedTx, DateTimeOffset now, CancellationToken ct = default) =>
        UpdateAsync("status = 'submitted', tx_id = @txId, prepared_tx = @preparedTx, attempts = attempts + 1, last_error = NULL",
            new { redemptionId, txId, preparedTx, now = now.ToUnixTimeMilliseconds() }, ct);

    public Task MarkCommittedAsync(string redemptionId, string outcome, DateTimeOffset now, CancellationToken ct = default) =>
        UpdateAsync("status = 'committed', outcome = @outcome, reason = NULL, reason_detail = NULL, last_error = NULL, lease_until = 0, prepared_tx = NULL",
            new { redemptionId, outcome, now = now.ToUnixTimeMilliseconds() }, ct);

    public Task MarkRejectedAsync(string redemptionId, string reason, string detail, string? outcome, DateTimeOffset now, CancellationToken ct = default) =>
        UpdateAsync("status = 'rejected', reason = @reason, reason_detail = @detail, outcome = @outcome, lease_until = 0, prepared_tx = NULL",
            new { redemptionId, reason, detail, outcome, now = now.ToUnixTimeMilliseconds() }, ct);

    /// <summary>Drops the endorsed transaction (it was invalidated, e.g. by an MVCC conflict) so that the receipt is endorsed afresh.</summary>
    public Task ResetForEndorsementAsync(string redemptionId, string error, DateTimeOffset nextAttempt, DateTimeOffset now, CancellationToken ct = default) =>
        UpdateAsync("status = 'received', tx_id = NULL, prepared_tx = NULL, last_error = @error, next_attempt_at = @next, lease_until = 0",
            new { redemptionId, error, next = nextAttempt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() }, ct);

    /// <summary>
    /// Records a failed attempt and when to try again; the receipt keeps its transaction. <paramref name="status"/> is
    /// received or submitted: whether its stored transaction may have reached the orderer (see <see cref="ReceiptStatus"/>).
    /// </summary>
    public Task RecordFailureAsync(string redemptionId, string status, string error, DateTimeOffset nextAttempt, DateTimeOffset now, bool countAttempt, CancellationToken ct = default) =>
        UpdateAsync((countAttempt ? "attempts = attempts + 1, " : "") + "status = @status, last_error = @error, next_attempt_at = @next, lease_until = 0",
            new { redemptionId, status, error, next = nextAttempt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() }, ct);

    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM outbox GROUP BY status");
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }

    private async Task UpdateAsync(string set, object parameters, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync($"UPDATE outbox SET {set}, updated_at = @now WHERE redemption_id = @redemptionId", parameters);
    }
}

/// <summary>A terminal with a receipt ready to claim, and when its oldest ready receipt arrived (Unix ms).</summary>
public sealed class ReadyTerminal
{
    public string TerminalId { get; set; } = "";
    public long OldestReceivedAt { get; set; }
}
