using Fabric.Shim.Contracts;

namespace Fabric.Shim.Testing;

/// <summary>
/// Runs contract functions as Fabric would: simulate on a fresh stub, then commit (submit) or discard
/// (evaluate). <see cref="SubmitConcurrentlyAsync{T1,T2}"/> simulates two transactions against the same
/// committed state before committing either, as two clients racing through endorsement do.
/// </summary>
/// <example><code>
/// var runner = new TransactionRunner(world);
/// var outcome = await runner.SubmitAsync(operatorId, ctx => contract.CreateProgramme(ctx, definition));
/// Assert.True(outcome.Succeeded);
/// </code></example>
public sealed class TransactionRunner
{
    public TransactionRunner(InMemoryWorldState world) => World = world;

    public InMemoryWorldState World { get; }

    public async Task<TransactionOutcome<T>> SubmitAsync<T>(TestIdentity caller, Func<Context, Task<T>> function, TransactionOptions? options = null)
    {
        var (stub, result, error) = await SimulateAsync(caller, function, options);
        return new TransactionOutcome<T>(result, error, error is null ? World.Commit(stub) : null);
    }

    /// <summary>Simulates without committing, as an evaluate (query) does.</summary>
    public async Task<TransactionOutcome<T>> EvaluateAsync<T>(TestIdentity caller, Func<Context, Task<T>> function, TransactionOptions? options = null)
    {
        var (_, result, error) = await SimulateAsync(caller, function, options);
        return new TransactionOutcome<T>(result, error, error is null ? new CommitResult("", World.Height, ValidationCode.Valid, null, "evaluated, not committed") : null);
    }

    /// <summary>Simulates both transactions against the state committed now, then commits the first and then the second.</summary>
    public async Task<(TransactionOutcome<T1> First, TransactionOutcome<T2> Second)> SubmitConcurrentlyAsync<T1, T2>(
        TestIdentity firstCaller, Func<Context, Task<T1>> first,
        TestIdentity secondCaller, Func<Context, Task<T2>> second,
        TransactionOptions? firstOptions = null, TransactionOptions? secondOptions = null)
    {
        var a = await SimulateAsync(firstCaller, first, firstOptions);
        var b = await SimulateAsync(secondCaller, second, secondOptions);
        var commitA = a.Error is null ? World.Commit(a.Stub) : null;
        var commitB = b.Error is null ? World.Commit(b.Stub) : null;
        return (new TransactionOutcome<T1>(a.Result, a.Error, commitA), new TransactionOutcome<T2>(b.Result, b.Error, commitB));
    }

    /// <summary>Simulates all transactions against the state committed now, then commits them in the order given.</summary>
    public async Task<IReadOnlyList<TransactionOutcome<T>>> SubmitConcurrentlyAsync<T>(IReadOnlyList<(TestIdentity Caller, Func<Context, Task<T>> Function)> transactions)
    {
        var simulated = new List<(InMemoryChaincodeStub Stub, T? Result, Exception? Error)>();
        foreach (var (caller, function) in transactions) simulated.Add(await SimulateAsync(caller, function, null));
        return simulated.Select(s => new TransactionOutcome<T>(s.Result, s.Error, s.Error is null ? World.Commit(s.Stub) : null)).ToList();
    }

    private async Task<(InMemoryChaincodeStub Stub, T? Result, Exception? Error)> SimulateAsync<T>(TestIdentity caller, Func<Context, Task<T>> function, TransactionOptions? options)
    {
        var stub = World.NewTransaction(caller, options);
        try
        {
            var result = await function(new Context(stub, caller.ClientIdentity));
            return (stub, result, null);
        }
        catch (Exception e)
        {
            return (stub, default, e);
        }
    }
}
