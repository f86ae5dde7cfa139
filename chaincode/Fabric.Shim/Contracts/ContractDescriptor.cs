using System.Reflection;

namespace Fabric.Shim.Contracts;

/// <summary>A contract instance with its name and transaction functions, as the router found them.</summary>
public sealed class ContractDescriptor
{
    private readonly Dictionary<string, TransactionFunction> _functions;

    private ContractDescriptor(string name, bool isDefault, Contract instance, Dictionary<string, TransactionFunction> functions)
    {
        Name = name;
        IsDefault = isDefault;
        Instance = instance;
        _functions = functions;
    }

    public string Name { get; }
    public bool IsDefault { get; }
    public Contract Instance { get; }
    public IEnumerable<TransactionFunction> Functions => _functions.Values;

    public TransactionFunction? Find(string function) => _functions.GetValueOrDefault(function);

    /// <summary>Reads the [Contract] and [Transaction] attributes of a contract instance.</summary>
    public static ContractDescriptor From(Contract instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var type = instance.GetType();
        var attribute = type.GetCustomAttribute<ContractAttribute>();
        var name = string.IsNullOrWhiteSpace(attribute?.Name) ? type.Name : attribute.Name;
        if (name.Contains(':'))
            throw new ArgumentException($"Contract name '{name}' may not contain ':', which separates contract and function names.");

        var functions = new Dictionary<string, TransactionFunction>(StringComparer.Ordinal);
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<TransactionAttribute>() is not { } transaction) continue;
            var function = TransactionFunction.From(method, transaction);
            if (!functions.TryAdd(function.Name, function))
                throw new ArgumentException($"Contract {name} has two transaction functions named '{function.Name}'.");
        }
        return new ContractDescriptor(name, attribute?.IsDefault ?? false, instance, functions);
    }

    internal ContractDescriptor AsDefault() => new(Name, true, Instance, _functions);
}
