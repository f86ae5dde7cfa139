namespace Fabric.Shim.Contracts;

/// <summary>
/// Base class of contracts. Mark the class with <see cref="ContractAttribute"/> and its transaction functions
/// with <see cref="TransactionAttribute"/>. Override the hooks to check access or log around every function.
/// </summary>
public abstract class Contract
{
    /// <summary>Runs before every transaction function of this contract; throw to refuse the call.</summary>
    public virtual Task BeforeTransactionAsync(Context context) => Task.CompletedTask;

    /// <summary>Runs after a transaction function returned, with its result.</summary>
    public virtual Task AfterTransactionAsync(Context context, object? result) => Task.CompletedTask;

    /// <summary>Runs when the function name matches nothing; by default the call fails with a clear message.</summary>
    public virtual Task UnknownTransactionAsync(Context context) =>
        throw new ChaincodeException($"Function {context.Stub.Function} is not a transaction function of {GetType().Name}.", 404);
}
