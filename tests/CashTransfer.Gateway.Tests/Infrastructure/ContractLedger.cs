extern alias chaincode;
using System.Runtime.CompilerServices;
using System.Text;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using Fabric.Shim.Contracts;
using Fabric.Shim.Testing;

namespace CashTransfer.Gateway.Tests.Infrastructure;
// Inside the namespace, so that it wins over the CashTransfer.Contracts namespace.
using Contracts = chaincode::CashTransfer.Chaincode.CashTransferContracts;

/// <summary>
/// The real CashTransfer contract behind the gateway's ledger port: each call is routed by the shim's contract
/// router on the in-memory Fabric stub (no read-your-writes, MVCC validation at commit, one event per transaction).
/// Callers get test identities of their agency carrying <c>cashtransfer.role</c>. Checks the gateway's argument
/// and result JSON against the contract itself, short of the network.
/// </summary>
public sealed class ContractLedger : ILedgerGateway
{
    private readonly ContractRouter _router = new(Contracts.All());
    private readonly Dictionary<LedgerCaller, TestIdentity> _identities = new();
    private readonly Dictionary<string, InMemoryChaincodeStub> _endorsed = new();
    private readonly Dictionary<string, CommitResult> _committed = new();
    private readonly object _gate = new();

    public InMemoryWorldState World { get; } = new("cashtransfer");

    /// <summary>The transaction timestamp the next call gets (time-window rules, e.g. the retailer's reversal window).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public async Task<PreparedTransaction> EndorseAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var (stub, payload) = await SimulateAsync(caller, function, arguments);
        lock (_gate) _endorsed[stub.TxId] = stub;
        return new PreparedTransaction(stub.TxId, Encoding.UTF8.GetBytes(stub.TxId), payload);
    }

    public Task SubmitAsync(LedgerCaller caller, PreparedTransaction transaction, CancellationToken ct)
    {
        lock (_gate)
            if (!_committed.ContainsKey(transaction.TxId)) _committed[transaction.TxId] = World.Commit(_endorsed[transaction.TxId]);
        return Task.CompletedTask;
    }

    public Task<CommitStatusResult?> GetCommitStatusAsync(LedgerCaller caller, string txId, TimeSpan wait, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_committed.TryGetValue(txId, out var c)) return Task.FromResult<CommitStatusResult?>(null);
            var outcome = c.Code switch
            {
                ValidationCode.Valid => CommitOutcome.Committed,
                ValidationCode.MvccReadConflict or ValidationCode.PhantomReadConflict => CommitOutcome.Conflict,
                _ => CommitOutcome.Invalid,
            };
            return Task.FromResult<CommitStatusResult?>(new CommitStatusResult(outcome, c.Code.ToString(), c.BlockNumber));
        }
    }

    public async Task<byte[]> EvaluateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct) =>
        (await SimulateAsync(caller, function, arguments)).Payload;

    public async IAsyncEnumerable<LedgerEvent> ListenAsync(LedgerCaller caller, ProjectionCheckpoint? after, [EnumeratorCancellation] CancellationToken ct)
    {
        var events = World.Events;
        int next = after is null ? 0 : events.ToList().FindIndex(e => e.BlockNumber == after.BlockNumber && e.TxId == after.TxId) + 1;
        while (true)
        {
            events = World.Events;
            while (next < events.Count)
            {
                var e = events[next++];
                yield return new LedgerEvent(e.BlockNumber, e.TxId, e.EventName, e.Payload);
            }
            await Task.Delay(20, ct);
        }
    }

    private async Task<(InMemoryChaincodeStub Stub, byte[] Payload)> SimulateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments)
    {
        TestIdentity identity;
        InMemoryChaincodeStub stub;
        lock (_gate)
        {
            if (!_identities.TryGetValue(caller, out identity!))
                _identities[caller] = identity = TestIdentity.Create(caller.AgencyMsp, $"{caller.FabricRole}@{caller.AgencyMsp}", new Dictionary<string, string> { ["cashtransfer.role"] = caller.FabricRole });
            World.Clock = Clock();
            stub = World.NewTransaction(identity, new TransactionOptions { Function = function, Parameters = arguments.ToList() });
        }
        var response = await _router.InvokeAsync(stub);
        if (!response.IsSuccess) throw new ChaincodeRejectedException(response.Status, response.Message);
        return (stub, response.Payload);
    }
}
