using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using Dapper;

namespace CashTransfer.Gateway.Tests.Storage;

public sealed class SqliteStorageTests : StorageContract
{
    protected override Task<IDatabase> CreateAsync() => TestDatabases.SqliteAsync();
    protected override Task<IDatabase> CreateEmptyAsync() => Task.FromResult<IDatabase>(new SqliteDatabase(Path.Combine(TempFolder.Create(), "gateway.db")));

    [Fact] public Task Migrations_run_once_and_create_every_table() => MigrationsRunOnceAndCreateEveryTable();
    [Fact] public Task The_checkpoint_moves_only_from_where_its_projector_found_it() => TheCheckpointMovesOnlyFromWhereItsProjectorFoundIt();
    [Fact] public Task Concurrent_starts_migrate_once() => ConcurrentStartsMigrateOnce();
    [Fact] public Task Concurrent_starts_on_an_empty_database_migrate_once() => ConcurrentStartsOnAnEmptyDatabaseMigrateOnce();
    [Fact] public Task A_terminals_receipt_waits_while_an_earlier_one_awaits_a_retry() => ATerminalsReceiptWaitsWhileAnEarlierOneAwaitsARetry();
    [Fact] public Task Terminals_take_turns_when_one_has_a_backlog() => TerminalsTakeTurnsWhenOneHasABacklog();
    [Fact] public Task Later_receipts_wait_only_for_earlier_ones_leased_by_another_instance() => LaterReceiptsWaitOnlyForEarlierOnesLeasedByAnotherInstance();
    [Fact] public Task Many_concurrent_moves_each_land_once_and_only_allowed_ones() => ManyConcurrentMovesEachLandOnceAndOnlyAllowedOnes();
    [Fact] public Task Outbox_leases_due_entries_to_one_submitter_at_a_time() => OutboxLeasesDueEntriesToOneSubmitterAtATime();
    [Fact] public Task Outbox_refuses_a_second_receipt_at_the_same_terminal_sequence() => OutboxRefusesASecondReceiptAtTheSameTerminalSequence();
    [Fact] public Task Failures_keep_the_transaction_and_reset_drops_it() => FailuresKeepTheTransactionAndResetDropsIt();
    [Fact] public Task Idempotency_key_is_claimed_by_exactly_one_of_many_concurrent_requests() => IdempotencyKeyIsClaimedByExactlyOneOfManyConcurrentRequests();
    [Fact] public Task Concurrent_claims_of_several_instances_never_take_the_same_receipt() => ConcurrentClaimsOfSeveralInstancesNeverTakeTheSameReceipt();
    [Fact] public Task A_lease_renewed_by_its_holder_keeps_others_out_and_a_stale_holder_cannot_renew() => ALeaseRenewedByItsHolderKeepsOthersOutAndAStaleHolderCannotRenew();
    [Fact] public Task A_pending_key_is_free_once_its_lease_runs_out_and_only_its_holder_may_finish_it() => APendingKeyIsFreeOnceItsLeaseRunsOutAndOnlyItsHolderMayFinishIt();
    [Fact] public Task Idempotency_records_expire_after_the_retention_and_the_purge_deletes_only_expired_ones() => IdempotencyRecordsExpireAfterTheRetentionAndThePurgeDeletesOnlyExpiredOnes();
    [Fact] public Task Journal_positions_and_anomalies_round_trip() => JournalPositionsAndAnomaliesRoundTrip();
    [Fact] public Task Projection_checkpoint_and_read_models_commit_together() => ProjectionCheckpointAndReadModelsCommitTogether();
    [Fact] public Task Bulk_jobs_save_progress() => BulkJobsSaveProgress();

    [Fact]
    public async Task Sqlite_file_uses_the_write_ahead_log()
    {
        var db = (SqliteDatabase)await TestDatabases.SqliteAsync();
        await using var c = await db.OpenAsync();
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL
        Assert.True(File.Exists(db.Path));
    }
}

public sealed class PostgresStorageTests : StorageContract
{
    protected override Task<IDatabase> CreateAsync() => TestDatabases.PostgresAsync();
    protected override async Task<IDatabase> CreateEmptyAsync() => new PostgresDatabase(await TestDatabases.PostgresSchemaAsync());

    [PostgresFact] public Task Migrations_run_once_and_create_every_table() => MigrationsRunOnceAndCreateEveryTable();
    [PostgresFact] public Task The_checkpoint_moves_only_from_where_its_projector_found_it() => TheCheckpointMovesOnlyFromWhereItsProjectorFoundIt();
    [PostgresFact] public Task Concurrent_starts_migrate_once() => ConcurrentStartsMigrateOnce();
    [PostgresFact] public Task Concurrent_starts_on_an_empty_database_migrate_once() => ConcurrentStartsOnAnEmptyDatabaseMigrateOnce();
    [PostgresFact] public Task A_terminals_receipt_waits_while_an_earlier_one_awaits_a_retry() => ATerminalsReceiptWaitsWhileAnEarlierOneAwaitsARetry();
    [PostgresFact] public Task Terminals_take_turns_when_one_has_a_backlog() => TerminalsTakeTurnsWhenOneHasABacklog();
    [PostgresFact] public Task Later_receipts_wait_only_for_earlier_ones_leased_by_another_instance() => LaterReceiptsWaitOnlyForEarlierOnesLeasedByAnotherInstance();
    [PostgresFact] public Task Many_concurrent_moves_each_land_once_and_only_allowed_ones() => ManyConcurrentMovesEachLandOnceAndOnlyAllowedOnes();
    [PostgresFact] public Task Outbox_leases_due_entries_to_one_submitter_at_a_time() => OutboxLeasesDueEntriesToOneSubmitterAtATime();
    [PostgresFact] public Task Outbox_refuses_a_second_receipt_at_the_same_terminal_sequence() => OutboxRefusesASecondReceiptAtTheSameTerminalSequence();
    [PostgresFact] public Task Failures_keep_the_transaction_and_reset_drops_it() => FailuresKeepTheTransactionAndResetDropsIt();
    [PostgresFact] public Task Idempotency_key_is_claimed_by_exactly_one_of_many_concurrent_requests() => IdempotencyKeyIsClaimedByExactlyOneOfManyConcurrentRequests();
    [PostgresFact] public Task Concurrent_claims_of_several_instances_never_take_the_same_receipt() => ConcurrentClaimsOfSeveralInstancesNeverTakeTheSameReceipt();
    [PostgresFact] public Task A_lease_renewed_by_its_holder_keeps_others_out_and_a_stale_holder_cannot_renew() => ALeaseRenewedByItsHolderKeepsOthersOutAndAStaleHolderCannotRenew();
    [PostgresFact] public Task A_pending_key_is_free_once_its_lease_runs_out_and_only_its_holder_may_finish_it() => APendingKeyIsFreeOnceItsLeaseRunsOutAndOnlyItsHolderMayFinishIt();
    [PostgresFact] public Task Idempotency_records_expire_after_the_retention_and_the_purge_deletes_only_expired_ones() => IdempotencyRecordsExpireAfterTheRetentionAndThePurgeDeletesOnlyExpiredOnes();
    [PostgresFact] public Task Journal_positions_and_anomalies_round_trip() => JournalPositionsAndAnomaliesRoundTrip();
    [PostgresFact] public Task Projection_checkpoint_and_read_models_commit_together() => ProjectionCheckpointAndReadModelsCommitTogether();
    [PostgresFact] public Task Bulk_jobs_save_progress() => BulkJobsSaveProgress();
}
