using System.Runtime.CompilerServices;
using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Reconciliation.Tests;

/// <summary>A ledger held in lists, answering the queries the reconciliation makes, in the order given.</summary>
public sealed class TestLedger : ILedgerSource
{
    public List<LedgerRedemption> Redemptions { get; } = [];
    public List<LedgerPayable> Payables { get; } = [];
    public List<LedgerSettlement> Settlements { get; } = [];
    public List<LedgerProgrammeTotals> Programmes { get; } = [];
    public List<LedgerTerminal> Terminals { get; } = [];

    public async IAsyncEnumerable<LedgerRedemption> RedemptionsAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var r in Redemptions.Where(r => r.RecordedAt >= from && r.RecordedAt < to).ToList()) { await Task.Yield(); yield return r; }
    }

    public Task<LedgerRedemption?> FindRedemptionAsync(string redemptionId, CancellationToken ct) =>
        Task.FromResult(Redemptions.FirstOrDefault(r => r.RedemptionId == redemptionId));

    public IAsyncEnumerable<LedgerRedemption> RetailerRedemptionsAsync(string retailerId, CancellationToken ct) =>
        Redemptions.Where(r => r.RetailerId == retailerId).ToList().ToAsyncEnumerable();

    public IAsyncEnumerable<LedgerPayable> PayablesAsync(string retailerId, CancellationToken ct) =>
        Payables.Where(p => p.RetailerId == retailerId).ToList().ToAsyncEnumerable();

    public IAsyncEnumerable<LedgerSettlement> SettlementsAsync(string retailerId, CancellationToken ct) =>
        Settlements.Where(s => s.RetailerId == retailerId).ToList().ToAsyncEnumerable();

    public Task<LedgerProgrammeTotals?> ProgrammeTotalsAsync(string programmeId, CancellationToken ct) =>
        Task.FromResult(Programmes.FirstOrDefault(p => p.ProgrammeId == programmeId));

    public Task<LedgerTerminal?> FindTerminalAsync(string terminalId, CancellationToken ct) =>
        Task.FromResult(Terminals.FirstOrDefault(t => t.TerminalId == terminalId));
}

/// <summary>Journal lines held in a list, as the service's received receipts would come.</summary>
public sealed class ListJournal(string name, IReadOnlyList<JournalLine> lines) : IJournalSource
{
    public string Name { get; } = name;

    public IAsyncEnumerable<JournalLine> ReadAsync(CancellationToken ct) => lines.ToAsyncEnumerable();
}

/// <summary>Records what the reconciliation asked to resubmit.</summary>
public sealed class RecordingResubmitter : IReceiptResubmitter
{
    public List<SignedReceipt> Resubmitted { get; } = [];

    public Task<bool> ResubmitAsync(SignedReceipt receipt, CancellationToken ct)
    {
        Resubmitted.Add(receipt);
        return Task.FromResult(true);
    }
}
