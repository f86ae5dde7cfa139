using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>Where the event projection stands: the block and transaction of the last event it applied.</summary>
public sealed record ProjectionCheckpoint(long BlockNumber, string TxId);

/// <summary>A receipt's outcome as the ledger recorded it (from Redemption events); its own state is the outbox's (<see cref="CashTransfer.Api.ReceiptLifecycle"/>).</summary>
public sealed class ReceiptStatusView
{
    public string RedemptionId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public string RetailerId { get; set; } = "";
    /// <summary>The redemption's ledger status: Accepted, Rejected or Reversed.</summary>
    public string LedgerStatus { get; set; } = "";
    public string? Reason { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    public string TxId { get; set; } = "";
    public long BlockNumber { get; set; }
}

/// <summary>What one agency owes one retailer for one redemption, until settled or reversed.</summary>
public sealed class PayableView
{
    public string RetailerId { get; set; } = "";
    public string AgencyMsp { get; set; } = "";
    public string RedemptionId { get; set; } = "";
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "";
    public string RecordedAt { get; set; } = "";
}

/// <summary>One entitlement's balance as last read from the ledger.</summary>
public sealed class BalanceView
{
    public string BeneficiaryHash { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string Cycle { get; set; } = "";
    public string Currency { get; set; } = "";
    public long BalanceMinor { get; set; }
    public string ValidUntil { get; set; } = "";
}

/// <summary>
/// The projection's checkpoint and read models. Every event is applied in one transaction together with the
/// checkpoint that names it, so a restart resumes exactly after the last applied event: no gap, no duplicate; and the
/// checkpoint only moves on from where its projector found it, so several instances on one database never apply an
/// event twice or out of order.
/// </summary>
public sealed class ProjectionRepository(IDatabase database)
{
    public const string DefaultName = "chaincode-events";

    public async Task<ProjectionCheckpoint?> GetCheckpointAsync(string name = DefaultName, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CheckpointRow>(
            "SELECT block_number AS BlockNumber, tx_id AS TxId FROM projection_checkpoint WHERE name = @name", new { name });
        return row is null ? null : new ProjectionCheckpoint(row.BlockNumber, row.TxId);
    }

    /// <summary>
    /// Moves the checkpoint from <paramref name="from"/> (null: none yet) to <paramref name="to"/>, inside the caller's
    /// transaction; false when it is no longer at <paramref name="from"/> because another instance's projector applied
    /// that event first. Run before the event's writes: it locks the checkpoint row until commit, so of several
    /// instances projecting one database each event is applied once, in ledger order.
    /// </summary>
    public async Task<bool> TryAdvanceCheckpointAsync(Session s, ProjectionCheckpoint? from, ProjectionCheckpoint to, string name = DefaultName)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var moved = from is null
            ? await s.Connection.ExecuteAsync(
                "INSERT INTO projection_checkpoint (name, block_number, tx_id, updated_at) VALUES (@name, @BlockNumber, @TxId, @now) ON CONFLICT (name) DO NOTHING",
                new { name, to.BlockNumber, to.TxId, now }, s.Transaction)
            : await s.Connection.ExecuteAsync(
                "UPDATE projection_checkpoint SET block_number = @BlockNumber, tx_id = @TxId, updated_at = @now " +
                "WHERE name = @name AND block_number = @fromBlock AND tx_id = @fromTx",
                new { name, to.BlockNumber, to.TxId, now, fromBlock = from.BlockNumber, fromTx = from.TxId }, s.Transaction);
        return moved == 1;
    }

    public Task UpsertReceiptStatusAsync(Session s, ReceiptStatusView v) => s.Connection.ExecuteAsync(
        "INSERT INTO receipt_status_view (redemption_id, terminal_id, retailer_id, ledger_status, reason, amount_minor, currency, tx_id, block_number) " +
        "VALUES (@RedemptionId, @TerminalId, @RetailerId, @LedgerStatus, @Reason, @AmountMinor, @Currency, @TxId, @BlockNumber) " +
        "ON CONFLICT (redemption_id) DO UPDATE SET ledger_status = excluded.ledger_status, reason = excluded.reason, tx_id = excluded.tx_id, block_number = excluded.block_number", v, s.Transaction);

    public Task AddPayableAsync(Session s, PayableView p) => s.Connection.ExecuteAsync(
        "INSERT INTO payable_view (retailer_id, agency_msp, redemption_id, amount_minor, currency, recorded_at) " +
        "VALUES (@RetailerId, @AgencyMsp, @RedemptionId, @AmountMinor, @Currency, @RecordedAt) ON CONFLICT (retailer_id, agency_msp, redemption_id) DO NOTHING", p, s.Transaction);

    public Task RemovePayablesAsync(Session s, string redemptionId, string? agencyMsp = null) => s.Connection.ExecuteAsync(
        "DELETE FROM payable_view WHERE redemption_id = @redemptionId AND (@agencyMsp IS NULL OR agency_msp = @agencyMsp)", new { redemptionId, agencyMsp }, s.Transaction);

    public Task ForgetBalancesAsync(Session s, string beneficiaryHash) => s.Connection.ExecuteAsync(
        "DELETE FROM balance_view WHERE beneficiary_hash = @beneficiaryHash", new { beneficiaryHash }, s.Transaction);

    public Task ForgetProgrammeBalancesAsync(Session s, string programmeId) => s.Connection.ExecuteAsync(
        "DELETE FROM balance_view WHERE programme_id = @programmeId", new { programmeId }, s.Transaction);

    public Task ForgetAllBalancesAsync(Session s) => s.Connection.ExecuteAsync("DELETE FROM balance_view", transaction: s.Transaction);

    public async Task<ReceiptStatusView?> FindReceiptStatusAsync(string redemptionId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ReceiptStatusView>(
            "SELECT redemption_id AS RedemptionId, terminal_id AS TerminalId, retailer_id AS RetailerId, ledger_status AS LedgerStatus, reason AS Reason, amount_minor AS AmountMinor, " +
            "currency AS Currency, tx_id AS TxId, block_number AS BlockNumber FROM receipt_status_view WHERE redemption_id = @redemptionId", new { redemptionId });
    }

    public async Task<IReadOnlyList<PayableView>> ListPayablesAsync(string retailerId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PayableView>(
            "SELECT retailer_id AS RetailerId, agency_msp AS AgencyMsp, redemption_id AS RedemptionId, amount_minor AS AmountMinor, currency AS Currency, " +
            "recorded_at AS RecordedAt FROM payable_view WHERE retailer_id = @retailerId ORDER BY agency_msp, redemption_id", new { retailerId })).AsList();
    }

    public async Task<IReadOnlyList<BalanceView>?> FindBalancesAsync(string beneficiaryHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<BalanceView>(
            "SELECT beneficiary_hash AS BeneficiaryHash, programme_id AS ProgrammeId, cycle AS Cycle, currency AS Currency, balance_minor AS BalanceMinor, " +
            "valid_until AS ValidUntil FROM balance_view WHERE beneficiary_hash = @beneficiaryHash ORDER BY programme_id, cycle", new { beneficiaryHash })).AsList();
        return rows.Count == 0 ? null : rows;
    }

    public async Task StoreBalancesAsync(string beneficiaryHash, IReadOnlyList<BalanceView> balances, CancellationToken ct = default)
    {
        await using var session = await database.BeginAsync(ct);
        await ForgetBalancesAsync(session, beneficiaryHash);
        foreach (var b in balances)
            await session.Connection.ExecuteAsync(
                "INSERT INTO balance_view (beneficiary_hash, programme_id, cycle, currency, balance_minor, valid_until) VALUES (@BeneficiaryHash, @ProgrammeId, @Cycle, @Currency, @BalanceMinor, @ValidUntil)",
                b, session.Transaction);
        await session.CommitAsync(ct);
    }

    private sealed class CheckpointRow
    {
        public long BlockNumber { get; set; }
        public string TxId { get; set; } = "";
    }
}
