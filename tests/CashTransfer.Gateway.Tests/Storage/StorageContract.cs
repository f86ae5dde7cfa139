using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;
using Dapper;

namespace CashTransfer.Gateway.Tests.Storage;

/// <summary>
/// The behaviour every storage provider must have, run once per provider (SQLite always, PostgreSQL when a server is
/// reachable): same schema, same repositories, same answers.
/// </summary>
public abstract class StorageContract
{
    protected abstract Task<IDatabase> CreateAsync();

    /// <summary>A database no migration has touched.</summary>
    protected abstract Task<IDatabase> CreateEmptyAsync();

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static OutboxEntry Entry(string id, string terminal, long sequence) => new()
    {
        RedemptionId = id, TerminalId = terminal, Sequence = sequence, ReceiptHash = new string('a', 64), SignedReceipt = "{}",
        Status = ReceiptState.Received, ReceivedAt = Now.ToUnixTimeMilliseconds() + sequence, NextAttemptAt = Now.ToUnixTimeMilliseconds(), UpdatedAt = Now.ToUnixTimeMilliseconds(),
    };

    protected async Task MigrationsRunOnceAndCreateEveryTable()
    {
        var db = await CreateAsync();
        Assert.Empty(await Migrator.MigrateAsync(db)); // already applied by CreateAsync
        await using var c = await db.OpenAsync();
        foreach (var table in new[] { "outbox", "idempotency", "terminal_journal", "journal_anomalies", "terminals", "projection_checkpoint", "receipt_status_view", "payable_view", "balance_view", "bulk_jobs" })
            Assert.Equal(0, await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        Assert.Equal(Migrator.Versions, await c.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(response_location) FROM idempotency")); // the newest column exists
    }

    protected async Task ConcurrentStartsOnAnEmptyDatabaseMigrateOnce()
    {
        for (var attempt = 0; attempt < 5; attempt++) // a race: several fresh databases, eight instances starting on each
        {
            var db = await CreateEmptyAsync();
            var applied = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Migrator.MigrateAsync(db))));
            Assert.Equal(Migrator.Versions, applied.SelectMany(a => a).Order(StringComparer.Ordinal)); // each by exactly one
        }
    }

    protected async Task ConcurrentStartsMigrateOnce()
    {
        var db = await CreateAsync();
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = '0001_initial'; DROP TABLE outbox;"); // the first script is missing again
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator.MigrateAsync(db))));
        Assert.Equal(["0001_initial"], applied.SelectMany(a => a)); // by exactly one of the four
        await using var check = await db.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox"));
    }

    protected async Task ConcurrentClaimsOfSeveralInstancesNeverTakeTheSameReceipt()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync())
        {
            // One receipt per terminal: a terminal's later receipts wait while its first is leased, and here every one is claimable.
            for (var t = 0; t < 300; t++) await outbox.InsertAsync(s, Entry($"T{t}-1", $"T{t}", 1));
            await s.CommitAsync();
        }
        // Six instances claim at the same moment, again and again, until nothing is left.
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(instance => Task.Run(async () =>
        {
            IReadOnlyList<OutboxEntry> got;
            do
            {
                got = await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 25, $"instance-{instance}");
                foreach (var e in got) claimed.Add(e.RedemptionId);
            } while (got.Count > 0);
        })));
        Assert.Equal(300, claimed.Count);
        Assert.Equal(300, claimed.Distinct().Count());
    }

    protected async Task ALeaseRenewedByItsHolderKeepsOthersOutAndAStaleHolderCannotRenew()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync()) { await outbox.InsertAsync(s, Entry("r1", "T1", 1)); await s.CommitAsync(); }
        var lease = TimeSpan.FromSeconds(30);
        Assert.Single(await outbox.ClaimDueAsync(Now, lease, 10, Mine));
        var renewed = Now.AddSeconds(50).ToUnixTimeMilliseconds();
        Assert.Equal(1, await outbox.RenewLeasesAsync(Mine, ["r1"], renewed));
        Assert.Empty(await outbox.ClaimDueAsync(Now.AddSeconds(40), lease, 10, Theirs)); // past the first lease, within the renewal
        var theirs = Assert.Single(await outbox.ClaimDueAsync(Now.AddSeconds(51), lease, 10, Theirs)); // the holder died: no renewal
        Assert.Equal(0, await outbox.RenewLeasesAsync(Mine, ["r1"], Now.AddSeconds(90).ToUnixTimeMilliseconds()));
        Assert.Equal(theirs.LeaseUntil, (await outbox.FindAsync("r1"))!.LeaseUntil);
    }

    protected async Task OutboxLeasesDueEntriesToOneSubmitterAtATime()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync())
        {
            await outbox.InsertAsync(s, Entry("r1", "T1", 1));
            await outbox.InsertAsync(s, Entry("r2", "T1", 2));
            await s.CommitAsync();
        }
        var first = await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 10, Mine);
        Assert.Equal(["r1", "r2"], first.Select(e => e.RedemptionId));
        Assert.Empty(await outbox.ClaimDueAsync(Now.AddSeconds(30), TimeSpan.FromMinutes(1), 10, Mine)); // leased, also to its holder
        Assert.Empty(await outbox.ClaimDueAsync(Now.AddSeconds(30), TimeSpan.FromMinutes(1), 10, Theirs));
        Assert.Equal(2, (await outbox.ClaimDueAsync(Now.AddMinutes(2), TimeSpan.FromMinutes(1), 10, Theirs)).Count);

        await outbox.SavePreparedAsync("r1", "tx1", [0, 1, 2, 255], [123, 125], Now);
        var submitted = (await outbox.FindAsync("r1"))!;
        Assert.Equal(ReceiptState.Submitted, submitted.Status); // stored, so it may reach the orderer from now on
        Assert.Equal([0, 1, 2, 255], submitted.PreparedEnvelope); // bytes kept as bytes
        Assert.Equal([123, 125], submitted.PreparedResult);
        await outbox.MarkCommittedAsync("r1", "{\"status\":\"Accepted\"}", Now);
        await outbox.MarkRejectedAsync("r2", "InsufficientBalance", "not enough", null, Now);
        var r1 = await outbox.FindAsync("r1");
        Assert.Equal((ReceiptState.Committed, "tx1", 1L, (byte[]?)null, (byte[]?)null), (r1!.Status, r1.TxId, r1.Attempts, r1.PreparedEnvelope, r1.PreparedResult));
        Assert.Equal((ReceiptState.Rejected, "InsufficientBalance"), ((await outbox.FindAsync("r2"))!.Status, (await outbox.FindAsync("r2"))!.Reason));
        Assert.Empty(await outbox.ClaimDueAsync(Now.AddHours(1), TimeSpan.FromMinutes(1), 10, Mine)); // final states are never claimed
        // A decided receipt never moves again, whatever a late run of it writes.
        Assert.False(await outbox.RecordFailureAsync("r1", ReceiptState.Submitted, "late", Now, Now, countAttempt: true));
        Assert.False(await outbox.ResetForEndorsementAsync("r2", "late", Now, Now));
        Assert.False(await outbox.MarkCommittedAsync("r2", "{}", Now));
        Assert.Equal((ReceiptState.Committed, ReceiptState.Rejected), ((await outbox.FindAsync("r1"))!.Status, (await outbox.FindAsync("r2"))!.Status));
        Assert.Equal(new Dictionary<string, long> { ["committed"] = 1, ["rejected"] = 1 }, await outbox.CountByStatusAsync());
    }

    protected async Task ATerminalsReceiptWaitsWhileAnEarlierOneAwaitsARetry()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync())
        {
            foreach (var (id, terminal, seq) in new[] { ("a1", "T1", 1L), ("a2", "T1", 2L), ("a3", "T1", 3L), ("b1", "T2", 1L) })
                await outbox.InsertAsync(s, Entry(id, terminal, seq));
            await s.CommitAsync();
        }
        await outbox.RecordFailureAsync("a1", ReceiptState.Received, "unavailable", Now.AddSeconds(10), Now, countAttempt: false);
        Assert.Equal(["b1"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 10, Mine)).Select(e => e.RedemptionId));
        var later = await outbox.ClaimDueAsync(Now.AddSeconds(11), TimeSpan.FromMinutes(1), 10, Mine);
        Assert.Equal(["a1", "a2", "a3"], later.Select(e => e.RedemptionId)); // once a1 is due again, the run is claimed in order
    }

    protected async Task TerminalsTakeTurnsWhenOneHasABacklog()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync())
        {
            for (var seq = 1L; seq <= 20; seq++) await outbox.InsertAsync(s, Entry($"a{seq}", "T1", seq)); // arrived first
            await outbox.InsertAsync(s, Entry("b1", "T2", 1));
            await outbox.InsertAsync(s, Entry("c1", "T3", 1));
            await s.CommitAsync();
        }
        var claimed = await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 4, Mine);
        Assert.Equal(["a1", "a2", "b1", "c1"], claimed.Select(e => e.RedemptionId)); // grouped by terminal, in journal order
        // At equal turns, a terminal the instance is already working on comes after the others.
        await using (var s = await db.BeginAsync())
        {
            await outbox.InsertAsync(s, Entry("b2", "T2", 2));
            await s.CommitAsync();
        }
        Assert.Equal(["a3"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 1, Mine, ["T2"])).Select(e => e.RedemptionId)); // b2 arrived earlier
        Assert.Equal(["b2"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 1, Mine, ["T1"])).Select(e => e.RedemptionId));
    }

    protected async Task ManyConcurrentMovesEachLandOnceAndOnlyAllowedOnes()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync())
        {
            for (var i = 0; i < 200; i++) await outbox.InsertAsync(s, Entry($"m{i}", $"T{i % 7}", i));
            await s.CommitAsync();
        }
        // Moves from many receipts at once share transactions (group commit); each caller gets its own answer.
        var stored = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => outbox.SavePreparedAsync($"m{i}", $"tx{i}", [(byte)i], [], Now)));
        Assert.All(stored, Assert.True);
        var moves = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => i % 2 == 0
            ? outbox.MarkCommittedAsync($"m{i}", "{}", Now)
            : outbox.MarkRejectedAsync($"m{i}", "InsufficientBalance", "not enough", null, Now)));
        Assert.All(moves, Assert.True);
        // A second decision in the same groups is refused for every one of them.
        var again = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => outbox.MarkRejectedAsync($"m{i}", "Late", "late", null, Now)));
        Assert.All(again, Assert.False);
        Assert.Equal(new Dictionary<string, long> { ["committed"] = 100, ["rejected"] = 100 }, await outbox.CountByStatusAsync());
        Assert.Equal(200, (await outbox.FindManyAsync(Enumerable.Range(0, 200).Select(i => $"m{i}").ToList())).Count(e => e.TxId == $"tx{e.RedemptionId[1..]}" && e.Attempts == 1));
    }

    protected async Task LaterReceiptsWaitOnlyForEarlierOnesLeasedByAnotherInstance()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync())
        {
            foreach (var (id, terminal, seq) in new[] { ("a1", "T1", 1L), ("a2", "T1", 2L), ("a3", "T1", 3L), ("b1", "T2", 1L) })
                await outbox.InsertAsync(s, Entry(id, terminal, seq));
            await s.CommitAsync();
        }
        Assert.Equal(["a1"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 1, Mine)).Select(e => e.RedemptionId));
        // Another instance may not take T1's later receipts while an earlier one is leased here: journal order across instances.
        Assert.Equal(["b1"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 10, Theirs)).Select(e => e.RedemptionId));
        // This instance may: it orders what it holds itself.
        Assert.Equal(["a2", "a3"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 10, Mine)).Select(e => e.RedemptionId));

        await outbox.ReleaseLeasesAsync(Theirs, ["a1"]); // not theirs to release
        Assert.NotEqual(0, (await outbox.FindAsync("a1"))!.LeaseUntil);
        await outbox.ReleaseLeasesAsync(Mine, ["a1", "a2", "a3"]);
        Assert.Equal([0L, 0L, 0L], (await outbox.FindManyAsync(["a1", "a2", "a3"])).Select(e => e.LeaseUntil));
        Assert.Equal(["a1", "a2", "a3"], (await outbox.ClaimDueAsync(Now, TimeSpan.FromMinutes(1), 10, Theirs)).Select(e => e.RedemptionId));
    }

    protected async Task OutboxRefusesASecondReceiptAtTheSameTerminalSequence()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using var s = await db.BeginAsync();
        await outbox.InsertAsync(s, Entry("r1", "T1", 1));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => outbox.InsertAsync(s, Entry("r9", "T1", 1)));
    }

    protected async Task FailuresKeepTheTransactionAndResetDropsIt()
    {
        var db = await CreateAsync();
        var outbox = new OutboxRepository(db);
        await using (var s = await db.BeginAsync()) { await outbox.InsertAsync(s, Entry("r1", "T1", 1)); await s.CommitAsync(); }
        await outbox.SavePreparedAsync("r1", "tx1", [7, 7], [8], Now);
        await outbox.RecordFailureAsync("r1", ReceiptState.Received, "unavailable", Now.AddSeconds(10), Now, countAttempt: false); // the send failed
        var e = (await outbox.FindAsync("r1"))!;
        Assert.Equal((ReceiptState.Received, "tx1", "unavailable", Now.AddSeconds(10).ToUnixTimeMilliseconds()), (e.Status, e.TxId, e.LastError, e.NextAttemptAt));
        Assert.Equal([7, 7], e.PreparedEnvelope); // the failed send's transaction is kept, to be checked and resent
        Assert.Empty(await outbox.ClaimDueAsync(Now.AddSeconds(5), TimeSpan.FromMinutes(1), 10, Mine));
        await outbox.ResetForEndorsementAsync("r1", "MVCC_READ_CONFLICT", Now, Now);
        e = (await outbox.FindAsync("r1"))!;
        Assert.Equal((ReceiptState.Received, (string?)null, (byte[]?)null, (byte[]?)null), (e.Status, e.TxId, e.PreparedEnvelope, e.PreparedResult));
    }

    private const string Holder = "holder-1";
    private const string Mine = "instance-mine";
    private const string Theirs = "instance-theirs";

    /// <summary>A claim whose lease outlives the test's time span, so that only the retention decides.</summary>
    private static Task<bool> ClaimAsync(IdempotencyRepository records, string principal, string key, string requestHash, DateTimeOffset at, DateTimeOffset? expiredBefore = null) =>
        records.TryClaimAsync(principal, key, requestHash, Holder, at, at.AddDays(2), expiredBefore ?? DateTimeOffset.UnixEpoch);

    protected async Task APendingKeyIsFreeOnceItsLeaseRunsOutAndOnlyItsHolderMayFinishIt()
    {
        var records = new IdempotencyRepository(await CreateAsync());
        var retention = Now.AddDays(-1);
        Assert.True(await records.TryClaimAsync("terminal/T1", "k", "h-a", "a", Now, Now.AddSeconds(30), retention));
        Assert.False(await records.TryClaimAsync("terminal/T1", "k", "h-a", "b", Now.AddSeconds(10), Now.AddSeconds(40), retention));
        Assert.True(await records.RenewAsync("terminal/T1", "k", "a", Now.AddSeconds(60))); // the running request's heartbeat
        Assert.False(await records.TryClaimAsync("terminal/T1", "k", "h-a", "b", Now.AddSeconds(45), Now.AddSeconds(75), retention));

        // Its process died: no renewal; after the lease the key goes to the resend.
        Assert.True(await records.TryClaimAsync("terminal/T1", "k", "h-a", "b", Now.AddSeconds(61), Now.AddSeconds(91), retention));
        Assert.False(await records.RenewAsync("terminal/T1", "k", "a", Now.AddSeconds(120)));
        await records.CompleteAsync("terminal/T1", "k", "a", 202, "application/json", "{\"from\":\"a\"}");
        await records.ReleaseAsync("terminal/T1", "k", "a");
        var record = (await records.FindAsync("terminal/T1", "k"))!;
        Assert.Equal(("pending", Now.AddSeconds(91).ToUnixTimeMilliseconds()), (record.State, record.LeaseUntil));
        await records.CompleteAsync("terminal/T1", "k", "b", 202, "application/json", "{\"from\":\"b\"}");
        record = (await records.FindAsync("terminal/T1", "k"))!;
        Assert.Equal(("complete", "{\"from\":\"b\"}"), (record.State, record.ResponseBody));

        // A complete record is kept for the retention however old its lease.
        Assert.False(await records.TryClaimAsync("terminal/T1", "k", "h-a", "c", Now.AddHours(1), Now.AddHours(2), retention));
    }

    protected async Task IdempotencyKeyIsClaimedByExactlyOneOfManyConcurrentRequests()
    {
        var db = await CreateAsync();
        var records = new IdempotencyRepository(db);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ClaimAsync(records, "operator/a", "k1", "h1", Now))));
        Assert.Single(claims, c => c);
        Assert.True(await ClaimAsync(records, "operator/b", "k1", "h1", Now)); // keys are per client
        await records.CompleteAsync("operator/a", "k1", Holder, 201, "application/json", "{\"ok\":true}");
        var stored = (await records.FindAsync("operator/a", "k1"))!;
        Assert.Equal(("complete", 201L, "application/json", "{\"ok\":true}", "h1"), (stored.State, stored.StatusCode, stored.ContentType, stored.ResponseBody, stored.RequestHash));
        await records.ReleaseAsync("operator/a", "k1", Holder); // complete records are not released
        Assert.NotNull(await records.FindAsync("operator/a", "k1"));
        await records.ReleaseAsync("operator/b", "k1", Holder);
        Assert.Null(await records.FindAsync("operator/b", "k1"));
    }

    protected async Task IdempotencyRecordsExpireAfterTheRetentionAndThePurgeDeletesOnlyExpiredOnes()
    {
        var db = await CreateAsync();
        var records = new IdempotencyRepository(db);
        var retention = TimeSpan.FromHours(24);
        Assert.True(await ClaimAsync(records, "operator/a", "old", "h-old", Now));
        await records.CompleteAsync("operator/a", "old", Holder, 201, "application/json", "{\"first\":true}");
        Assert.True(await ClaimAsync(records, "operator/a", "pending-old", "h", Now)); // its request died and was never released
        for (var i = 0; i < 5; i++) Assert.True(await ClaimAsync(records, "terminal/T1", $"old-{i}", "h", Now.AddMinutes(i)));
        Assert.True(await ClaimAsync(records, "operator/a", "recent", "h-recent", Now.AddHours(23)));

        // Within the retention a claim finds the stored record, even with the expiry cutoff given.
        var later = Now.AddHours(23).AddMinutes(59);
        Assert.False(await ClaimAsync(records, "operator/a", "old", "h-other", later, later - retention));
        Assert.Equal(("h-old", "{\"first\":true}"), ((await records.FindAsync("operator/a", "old"))!.RequestHash, (await records.FindAsync("operator/a", "old"))!.ResponseBody));

        // After it, the key is free even before any purge: the expired record gives way to the new request.
        var expired = Now.AddHours(24).AddMinutes(5); // every record of the first five minutes has expired
        Assert.True(await ClaimAsync(records, "operator/a", "old", "h-new", expired, expired - retention));
        var renewed = (await records.FindAsync("operator/a", "old"))!;
        Assert.Equal(("h-new", "pending", (long?)null, expired.ToUnixTimeMilliseconds()), (renewed.RequestHash, renewed.State, renewed.StatusCode, renewed.CreatedAt));

        // The purge takes the expired records (complete or pending) in batches and leaves the rest.
        var cutoff = expired - retention;
        Assert.Equal(2, await records.PurgeExpiredAsync(cutoff, 2));
        Assert.Equal(2, await records.PurgeExpiredAsync(cutoff, 2));
        Assert.Equal(2, await records.PurgeExpiredAsync(cutoff, 2));
        Assert.Equal(0, await records.PurgeExpiredAsync(cutoff, 2));
        Assert.Null(await records.FindAsync("operator/a", "pending-old"));
        for (var i = 0; i < 5; i++) Assert.Null(await records.FindAsync("terminal/T1", $"old-{i}"));
        Assert.NotNull(await records.FindAsync("operator/a", "recent"));
        Assert.NotNull(await records.FindAsync("operator/a", "old")); // renewed at `expired`, so not expired
        await using var c = await db.OpenAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency"));
    }

    protected async Task JournalPositionsAndAnomaliesRoundTrip()
    {
        var db = await CreateAsync();
        var journals = new TerminalJournalRepository(db);
        Assert.Equal(JournalPosition.Start("T1"), await journals.GetAsync("T1"));
        Assert.Equal(ReceiptEncoding.GenesisHash, JournalPosition.Start("T1").LastReceiptHash);
        await using (var s = await db.BeginAsync())
        {
            await journals.SaveAsync(s, new JournalPosition("T1", 7, new string('b', 64)), Now);
            await s.CommitAsync();
        }
        await using (var s = await db.BeginAsync())
        {
            await journals.SaveAsync(s, new JournalPosition("T1", 8, new string('c', 64)), Now);
            // not committed: rolled back on dispose
        }
        Assert.Equal(new JournalPosition("T1", 7, new string('b', 64)), await journals.GetAsync("T1"));
        await journals.AddAnomalyAsync(new JournalAnomaly("a1", "T1", "gap", 8, 10, "missing 8-9", Now.ToUnixTimeMilliseconds()));
        await journals.AddAnomalyAsync(new JournalAnomaly("a2", "T2", "fork", 3, 3, "other receipt", Now.ToUnixTimeMilliseconds() + 1));
        Assert.Equal(["a2", "a1"], (await journals.ListAnomaliesAsync(null, 10)).Select(a => a.AnomalyId));
        Assert.Equal("gap", Assert.Single(await journals.ListAnomaliesAsync("T1", 10)).Kind);
    }

    protected async Task TheCheckpointMovesOnlyFromWhereItsProjectorFoundIt()
    {
        var db = await CreateAsync();
        var views = new ProjectionRepository(db);
        async Task<bool> Advance(ProjectionCheckpoint? from, ProjectionCheckpoint to)
        {
            await using var s = await db.BeginAsync();
            var moved = await views.TryAdvanceCheckpointAsync(s, from, to);
            await s.CommitAsync();
            return moved;
        }
        var (first, second) = (new ProjectionCheckpoint(1, "tx1"), new ProjectionCheckpoint(1, "tx2"));
        Assert.True(await Advance(null, first));
        Assert.False(await Advance(null, first)); // a second instance that started from nothing applied tx1 again: refused
        Assert.True(await Advance(first, second));
        Assert.False(await Advance(first, second)); // a stale instance: refused, the checkpoint never goes back
        Assert.False(await Advance(first, new ProjectionCheckpoint(2, "tx3")));
        Assert.Equal(second, await views.GetCheckpointAsync());

        // Two instances racing for the same event: exactly one moves the checkpoint.
        var raced = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Advance(second, new ProjectionCheckpoint(2, "tx3")))));
        Assert.Single(raced, moved => moved);
    }

    protected async Task ProjectionCheckpointAndReadModelsCommitTogether()
    {
        var db = await CreateAsync();
        var views = new ProjectionRepository(db);
        Assert.Null(await views.GetCheckpointAsync());
        await using (var s = await db.BeginAsync())
        {
            await views.AddPayableAsync(s, new PayableView { RetailerId = "R1", AgencyMsp = "Org1MSP", RedemptionId = "r1", AmountMinor = 500, Currency = "KES", RecordedAt = "2026-03-01T00:00:00Z" });
            await views.AddPayableAsync(s, new PayableView { RetailerId = "R1", AgencyMsp = "Org1MSP", RedemptionId = "r1", AmountMinor = 500, Currency = "KES", RecordedAt = "2026-03-01T00:00:00Z" });
            Assert.True(await views.TryAdvanceCheckpointAsync(s, null, new ProjectionCheckpoint(4, "tx4")));
            await s.CommitAsync();
        }
        await using (var s = await db.BeginAsync())
        {
            await views.AddPayableAsync(s, new PayableView { RetailerId = "R1", AgencyMsp = "Org2MSP", RedemptionId = "r2", AmountMinor = 1, Currency = "KES", RecordedAt = "x" });
            Assert.True(await views.TryAdvanceCheckpointAsync(s, new ProjectionCheckpoint(4, "tx4"), new ProjectionCheckpoint(5, "tx5")));
        }
        Assert.Equal(new ProjectionCheckpoint(4, "tx4"), await views.GetCheckpointAsync());
        Assert.Equal(500, Assert.Single(await views.ListPayablesAsync("R1")).AmountMinor);

        await views.StoreBalancesAsync("h1", [new BalanceView { BeneficiaryHash = "h1", ProgrammeId = "P1", Cycle = "c1", Currency = "KES", BalanceMinor = 900, ValidUntil = "2026-12-31T00:00:00.0000000+00:00" }]);
        Assert.Equal(900, Assert.Single((await views.FindBalancesAsync("h1"))!).BalanceMinor);
        await using (var s = await db.BeginAsync()) { await views.ForgetBalancesAsync(s, "h1"); await s.CommitAsync(); }
        Assert.Null(await views.FindBalancesAsync("h1"));
    }

    protected async Task BulkJobsSaveProgress()
    {
        var db = await CreateAsync();
        var jobs = new BulkJobRepository(db);
        var job = new BulkJob { JobId = "j1", AgencyMsp = "Org1MSP", ProgrammeId = "P1", Cycle = "c1", Format = "csv", UploadPath = "u", ResultPath = "r", CreatedAt = 1, UpdatedAt = 1 };
        await jobs.InsertAsync(job);
        Assert.Equal("j1", Assert.Single(await jobs.ListUnfinishedAsync()).JobId);
        job.Status = "completed";
        job.TotalRows = 10;
        job.ProcessedRows = 10;
        await jobs.SaveProgressAsync(job);
        Assert.Empty(await jobs.ListUnfinishedAsync());
        Assert.Equal(10, (await jobs.FindAsync("j1"))!.ProcessedRows);
    }
}
