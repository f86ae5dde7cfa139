using Fabric.Shim.Handler;
using Fabric.Shim.Stub;

namespace CashTransfer.Gateway.Tests.Faults;

/// <summary>
/// The real contract, except that calls of one function wait while the gate is closed: a test can hold a request in the
/// middle of its work (its endorsement not yet answered) and kill the service then.
/// </summary>
public sealed class GatedChaincode(IChaincode inner, string gatedFunction) : IChaincode
{
    private volatile TaskCompletionSource _open = Opened();

    /// <summary>Completes when a gated call has arrived and waits.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _open.TrySetResult();

    public Task<ChaincodeResponse> InitAsync(IChaincodeStub stub) => inner.InitAsync(stub);

    public async Task<ChaincodeResponse> InvokeAsync(IChaincodeStub stub)
    {
        if (stub.Function == gatedFunction)
        {
            Entered.TrySetResult();
            await _open.Task;
        }
        return await inner.InvokeAsync(stub);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
