using System.Text.Json;
using CashTransfer.Api;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// Which receipts must wait for each other. A redemption reads and writes its beneficiary's entitlements and its own
/// redemption id; everything else it writes is keyed by its redemption id (payable deltas, indexes). So two receipts
/// compete only when they share a beneficiary or a redemption id: those are decided one after the other, in the
/// order they were added (a terminal's journal order), so that a later sale, not an earlier one, meets an exhausted
/// balance. All other receipts run side by side.
/// </summary>
public sealed class ReceiptOrder
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Task<bool>> _tails = new(StringComparer.Ordinal);

    /// <summary>The ledger keys a receipt competes on: its beneficiary and its redemption id.</summary>
    public static IReadOnlyList<string> KeysOf(OutboxEntry entry)
    {
        var beneficiary = JsonSerializer.Deserialize<SignedReceipt>(entry.SignedReceipt, ApiJson.Options)?.Receipt.BeneficiaryHash;
        return beneficiary is null ? ["redemption/" + entry.RedemptionId] : ["redemption/" + entry.RedemptionId, "beneficiary/" + beneficiary];
    }

    /// <summary>
    /// Runs <paramref name="decide"/> once every receipt added earlier with a shared key has finished; if one of them was
    /// not decided (it waits for a retry, or the submitter stops), <paramref name="passOver"/> runs instead, so that the
    /// later receipt waits too. The task's result says whether the receipt was decided. Neither function may throw.
    /// </summary>
    public Task<bool> Add(IReadOnlyList<string> keys, Func<Task<bool>> decide, Func<Task> passOver)
    {
        Task<bool> run;
        lock (_gate)
        {
            var before = keys.Select(k => _tails.GetValueOrDefault(k)).OfType<Task<bool>>().Distinct().ToArray();
            run = AfterAsync(before, decide, passOver);
            foreach (var key in keys) _tails[key] = run;
        }
        _ = run.ContinueWith(_ =>
        {
            lock (_gate)
                foreach (var key in keys)
                    if (_tails.TryGetValue(key, out var tail) && tail == run) _tails.Remove(key);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return run;
    }

    private static async Task<bool> AfterAsync(Task<bool>[] before, Func<Task<bool>> decide, Func<Task> passOver)
    {
        await Task.Yield(); // never run the receipt inside the caller's lock
        var decided = await Task.WhenAll(before);
        if (decided.All(d => d)) return await decide();
        await passOver();
        return false;
    }
}
