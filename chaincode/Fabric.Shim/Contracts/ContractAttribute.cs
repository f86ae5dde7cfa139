namespace Fabric.Shim.Contracts;

/// <summary>Marks a class as a contract. Its name prefixes function names (<c>Name:Function</c>); default: the class name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ContractAttribute : Attribute
{
    public ContractAttribute(string? name = null) => Name = name;
    public string? Name { get; }

    /// <summary>The contract that answers function names without a <c>Contract:</c> prefix.</summary>
    public bool IsDefault { get; init; }
}
