namespace Fabric.Shim.Contracts;

/// <summary>Whether a transaction function is meant to be submitted (writes, goes to the orderer) or only evaluated (a query).</summary>
public enum TransactionKind
{
    Submit,
    Evaluate,
}

/// <summary>
/// Marks a public method of a contract as a transaction function. Its first parameter is the
/// <see cref="Context"/>; the others are parsed from the transaction's arguments (strings as they are,
/// numbers and booleans from text, other types from JSON); the result is returned as JSON (a string as UTF-8).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TransactionAttribute : Attribute
{
    public TransactionAttribute(TransactionKind kind = TransactionKind.Submit) => Kind = kind;
    public TransactionKind Kind { get; }

    /// <summary>The name callers use; default: the method name.</summary>
    public string? Name { get; init; }
}
