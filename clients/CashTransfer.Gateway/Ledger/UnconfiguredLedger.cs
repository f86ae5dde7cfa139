using System.Runtime.CompilerServices;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Ledger;

/// <summary>
/// The ledger when none is configured: every call fails as unavailable. The service still takes receipt batches
/// into its durable outbox; they are submitted once a ledger is configured and the service restarted.
/// </summary>
public sealed class UnconfiguredLedger : ILedgerGateway
{
    private static LedgerUnavailableException None() => new("No ledger is configured (CashTransfer:Ledger); receipts wait in the outbox.");

    public Task<PreparedTransaction> EndorseAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct) => throw None();
    public Task SubmitAsync(LedgerCaller caller, PreparedTransaction transaction, CancellationToken ct) => throw None();
    public Task<CommitStatusResult?> GetCommitStatusAsync(LedgerCaller caller, string txId, TimeSpan wait, CancellationToken ct) => throw None();
    public Task<byte[]> EvaluateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct) => throw None();

    public async IAsyncEnumerable<LedgerEvent> ListenAsync(LedgerCaller caller, ProjectionCheckpoint? after, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        throw None();
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }
}
