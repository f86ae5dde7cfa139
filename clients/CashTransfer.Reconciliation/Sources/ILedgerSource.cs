using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Sources;

/// <summary>
/// The ledger as the reconciliation reads it: the chaincode's paginated queries (through the gateway service's
/// auditor API, or in process), streamed page by page.
/// </summary>
public interface ILedgerSource
{
    /// <summary>Redemptions recorded in [from, to), in any order.</summary>
    IAsyncEnumerable<LedgerRedemption> RedemptionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>One redemption by id, whenever it was recorded; null when the ledger has none.</summary>
    Task<LedgerRedemption?> FindRedemptionAsync(string redemptionId, CancellationToken ct);

    /// <summary>Every redemption of a retailer, whenever recorded (for the payable invariant).</summary>
    IAsyncEnumerable<LedgerRedemption> RetailerRedemptionsAsync(string retailerId, CancellationToken ct);

    /// <summary>What agencies still owe the retailer (unsettled payable deltas).</summary>
    IAsyncEnumerable<LedgerPayable> PayablesAsync(string retailerId, CancellationToken ct);

    /// <summary>Every settlement of the retailer.</summary>
    IAsyncEnumerable<LedgerSettlement> SettlementsAsync(string retailerId, CancellationToken ct);

    /// <summary>A programme's totals summed over its pages; null when the programme is unknown.</summary>
    Task<LedgerProgrammeTotals?> ProgrammeTotalsAsync(string programmeId, CancellationToken ct);

    /// <summary>A terminal's registration; null when it is not registered.</summary>
    Task<LedgerTerminal?> FindTerminalAsync(string terminalId, CancellationToken ct);
}

/// <summary>A terminal journal: the service's received receipts, or one exported journal file.</summary>
public interface IJournalSource
{
    string Name { get; }
    IAsyncEnumerable<JournalLine> ReadAsync(CancellationToken ct);
}

/// <summary>Submits a lost but genuinely signed receipt again (the service's outbox); false when it could not.</summary>
public interface IReceiptResubmitter
{
    Task<bool> ResubmitAsync(CashTransfer.Contracts.SignedReceipt receipt, CancellationToken ct);
}
