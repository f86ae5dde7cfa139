using Fabric.Grpc.Client;
using System.Collections.Concurrent;

namespace Fabric.Grpc.Tests.Support;

/// <summary>Tells a test which of the server's hanging calls ended, and whether their token had fired.</summary>
public sealed class CallObserver
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> calls = new();

    public void Cancelled(string txid, bool tokenFired) => Entry(txid).TrySetResult(tokenFired);

    /// <summary>True once the call's handler saw its token fire; fails after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(string txid, TimeSpan timeout) => Entry(txid).Task.WaitAsync(timeout);

    private TaskCompletionSource<bool> Entry(string txid) =>
        calls.GetOrAdd(txid, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
}
