using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>
/// An in-memory ledger with Fabric's semantics where the gateway depends on them: endorsement computes a result
/// but writes nothing; a submitted envelope commits once (a duplicate transaction id changes nothing); a redemption
/// id is recorded once (a repeat returns the first outcome); each commit emits one chaincode event in a new block.
/// Failures can be injected per step. Functions other than Redeem answer from <see cref="Handlers"/>.
/// </summary>
public sealed class FakeLedger : ILedgerGateway
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (PreparedTransaction Tx, string? EventName, byte[]? Event, Action? Effect)> _endorsed = new();
    private readonly Dictionary<string, CommitStatusResult> _committed = new();
    private readonly List<LedgerEvent> _events = [];
    private readonly Channel<bool> _newEvents = Channel.CreateUnbounded<bool>();
    private long _block;
    private long _tx;

    /// <summary>Recorded redemptions by id: the ledger's truth for exactly-once checks.</summary>
    public ConcurrentDictionary<string, string> Redemptions { get; } = new();

    /// <summary>How many times each redemption id's Redeem took effect (must never exceed 1).</summary>
    public ConcurrentDictionary<string, int> RedeemEffects { get; } = new();

    /// <summary>Answers for functions: (caller, arguments) to the result JSON; throw ChaincodeRejectedException to refuse.</summary>
    public ConcurrentDictionary<string, Func<LedgerCaller, IReadOnlyList<string>, object>> Handlers { get; } = new();

    /// <summary>Every call: (caller, step, function or tx id).</summary>
    public ConcurrentQueue<(LedgerCaller Caller, string Step, string What)> Calls { get; } = new();

    /// <summary>Decides the outcome of a redeemed receipt: null accepts it, a code rejects it (recorded on the ledger).</summary>
    public Func<Receipt, string?> RedeemRule { get; set; } = _ => null;

    /// <summary>Set to refuse Redeem at endorsement (like the chaincode does for a bad signature).</summary>
    public Func<Receipt, ChaincodeRejectedException?> RedeemRefusal { get; set; } = _ => null;

    /// <summary>How many times each redemption id's Redeem was sent for endorsement.</summary>
    public ConcurrentDictionary<string, int> EndorsedReceipts { get; } = new();

    /// <summary>Runs before a Redeem is endorsed, e.g. to hold one terminal's receipts or to fail one; null does nothing.</summary>
    public Func<Receipt, CancellationToken, Task>? BeforeRedeem { get; set; }

    /// <summary>The receipts whose Redeem took effect, in commit order.</summary>
    public ConcurrentQueue<Receipt> CommitOrder { get; } = new();

    public volatile bool Unavailable;
    public int ConflictsToInject;
    /// <summary>Submits that reach the orderer but whose answer is lost (the caller sees unavailable).</summary>
    public int LostSubmitAnswers;
    /// <summary>Submits that fail before reaching the orderer.</summary>
    public int FailedSubmits;
    /// <summary>When set, ListenAsync ends once it has delivered every event instead of waiting for more.</summary>
    public bool EndEventStreamWhenIdle { get; set; }
    public TimeSpan EndorseDelay { get; set; } = TimeSpan.Zero;

    public int Count(string step) => Calls.Count(c => c.Step == step);

    public async Task<PreparedTransaction> EndorseAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        Calls.Enqueue((caller, "endorse", function));
        if (EndorseDelay > TimeSpan.Zero) await Task.Delay(EndorseDelay, ct);
        ThrowIfUnavailable();
        var txId = "tx" + Interlocked.Increment(ref _tx).ToString("D6");
        byte[] result;
        string? eventName = null;
        Action? effect = null;
        if (function == ChaincodeFunctions.Redeem)
        {
            var signed = JsonSerializer.Deserialize<SignedReceipt>(arguments[0], CashTransfer.Api.ApiJson.Options)!;
            EndorsedReceipts.AddOrUpdate(signed.Receipt.RedemptionId, 1, (_, n) => n + 1);
            if (BeforeRedeem is { } before) await before(signed.Receipt, ct);
            if (RedeemRefusal(signed.Receipt) is { } refusal) throw refusal;
            var json = Redemptions.TryGetValue(signed.Receipt.RedemptionId, out var first) ? first : RedemptionJson(signed.Receipt, txId, RedeemRule(signed.Receipt));
            result = Encoding.UTF8.GetBytes(json);
            if (first is null)
            {
                eventName = json.Contains("\"status\":\"Accepted\"") ? ChaincodeEvents.RedemptionAccepted : ChaincodeEvents.RedemptionRejected;
                effect = () =>
                {
                    if (!Redemptions.TryAdd(signed.Receipt.RedemptionId, json)) return;
                    RedeemEffects.AddOrUpdate(signed.Receipt.RedemptionId, 1, (_, n) => n + 1);
                    CommitOrder.Enqueue(signed.Receipt);
                };
            }
        }
        else if (Handlers.TryGetValue(function, out var handler))
            result = JsonSerializer.SerializeToUtf8Bytes(handler(caller, arguments), CashTransfer.Api.ApiJson.Options);
        else
            throw new ChaincodeRejectedException(400, $"The fake ledger has no handler for {function}.");
        var prepared = new PreparedTransaction(txId, Encoding.UTF8.GetBytes("envelope:" + txId), result);
        lock (_gate) _endorsed[txId] = (prepared, eventName, eventName is null ? null : result, effect);
        return prepared;
    }

    public Task SubmitAsync(LedgerCaller caller, PreparedTransaction transaction, CancellationToken ct)
    {
        Calls.Enqueue((caller, "submit", transaction.TxId));
        ThrowIfUnavailable();
        if (FailedSubmits > 0 && Interlocked.Decrement(ref FailedSubmits) >= 0)
            throw new LedgerUnavailableException("orderer unreachable");
        Commit(transaction.TxId);
        if (LostSubmitAnswers > 0 && Interlocked.Decrement(ref LostSubmitAnswers) >= 0)
            throw new LedgerUnavailableException("submit answer lost");
        return Task.CompletedTask;
    }

    public Task<CommitStatusResult?> GetCommitStatusAsync(LedgerCaller caller, string txId, TimeSpan wait, CancellationToken ct)
    {
        Calls.Enqueue((caller, "status", txId));
        ThrowIfUnavailable();
        lock (_gate) return Task.FromResult(_committed.TryGetValue(txId, out var s) ? s : null);
    }

    public Task<byte[]> EvaluateAsync(LedgerCaller caller, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        Calls.Enqueue((caller, "evaluate", function));
        ThrowIfUnavailable();
        if (!Handlers.TryGetValue(function, out var handler)) throw new ChaincodeRejectedException(400, $"The fake ledger has no handler for {function}.");
        return Task.FromResult(JsonSerializer.SerializeToUtf8Bytes(handler(caller, arguments), CashTransfer.Api.ApiJson.Options));
    }

    public async IAsyncEnumerable<LedgerEvent> ListenAsync(LedgerCaller caller, ProjectionCheckpoint? after, [EnumeratorCancellation] CancellationToken ct)
    {
        Calls.Enqueue((caller, "listen", after?.TxId ?? ""));
        ThrowIfUnavailable();
        int next;
        lock (_gate) next = after is null ? 0 : _events.FindIndex(e => e.BlockNumber == after.BlockNumber && e.TxId == after.TxId) + 1;
        while (true)
        {
            LedgerEvent? e = null;
            lock (_gate) if (next < _events.Count) e = _events[next];
            if (e is not null)
            {
                next++;
                Delivered.Enqueue(e);
                yield return e;
                continue;
            }
            if (EndEventStreamWhenIdle) yield break;
            await _newEvents.Reader.ReadAsync(ct);
        }
    }

    /// <summary>Appends an event in a new block (as if another gateway's transaction committed).</summary>
    public LedgerEvent Emit(string name, object payload)
    {
        lock (_gate)
        {
            var e = new LedgerEvent(++_block, "ext" + _block, name, JsonSerializer.SerializeToUtf8Bytes(payload, CashTransfer.Api.ApiJson.Options));
            _events.Add(e);
            _newEvents.Writer.TryWrite(true);
            return e;
        }
    }

    /// <summary>Every event handed to a listener, in order (to check that a resumed listener skips nothing and repeats nothing).</summary>
    public ConcurrentQueue<LedgerEvent> Delivered { get; } = new();

    public IReadOnlyList<LedgerEvent> Events { get { lock (_gate) return _events.ToList(); } }

    private void Commit(string txId)
    {
        lock (_gate)
        {
            if (_committed.ContainsKey(txId)) return; // a duplicate transaction id changes nothing
            if (!_endorsed.TryGetValue(txId, out var tx)) throw new InvalidOperationException($"Unknown transaction {txId}.");
            _block++;
            if (ConflictsToInject > 0)
            {
                ConflictsToInject--;
                _committed[txId] = new CommitStatusResult(CommitOutcome.Conflict, "MVCC_READ_CONFLICT", _block);
                return;
            }
            _committed[txId] = new CommitStatusResult(CommitOutcome.Committed, "VALID", _block);
            tx.Effect?.Invoke();
            if (tx.EventName is not null)
            {
                _events.Add(new LedgerEvent(_block, txId, tx.EventName, tx.Event!));
                _newEvents.Writer.TryWrite(true);
            }
        }
    }

    private void ThrowIfUnavailable()
    {
        if (Unavailable) throw new LedgerUnavailableException("peer unreachable");
    }

    public static string RedemptionJson(Receipt r, string txId, string? rejection) => JsonSerializer.Serialize(new
    {
        redemptionId = r.RedemptionId, terminalId = r.TerminalId, retailerId = "R-1", sequence = r.Sequence, receiptHash = ReceiptEncoding.Hash(r),
        beneficiaryHash = r.BeneficiaryHash, amount = r.Amount, category = r.Category, terminalTimeUnixMs = r.TerminalTimeUnixMs,
        recordedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.TerminalTimeUnixMs), txId,
        status = rejection is null ? "Accepted" : "Rejected",
        rejection = rejection is null ? null : new { code = rejection, message = "The fake ledger's rule refused it." },
        allocations = rejection is null ? new[] { new { programmeId = "P-1", cycle = "c1", ownerMsp = "Org1MSP", amountMinor = r.Amount.Minor } } : [],
        reversal = (object?)null,
    }, CashTransfer.Api.ApiJson.Options);
}
