using System.Reflection;
using System.Text;
using Fabric.Shim.Handler;
using Fabric.Shim.Stub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabric.Shim.Contracts;

/// <summary>
/// Runs contract classes as chaincode, like fabric-contract-api: the first argument names the function as
/// <c>Contract:Function</c> (or just <c>Function</c> for the default contract), the others become typed
/// parameters; Before, the function and After run in turn; the result becomes the payload. A thrown
/// <see cref="ChaincodeException"/> becomes a response with its status, any other exception status 500 with its
/// message. <c>org.hyperledger.fabric:GetMetadata</c> answers with the contracts' metadata.
/// </summary>
/// <example><code>
/// var router = new ContractRouter(new AssetContract(), new AuditContract());
/// await ChaincodeServer.RunAsync(args, router);
/// </code></example>
public sealed class ContractRouter : IChaincode
{
    /// <summary>The name of the built-in contract that serves metadata.</summary>
    public const string SystemContractName = "org.hyperledger.fabric";

    private readonly Dictionary<string, ContractDescriptor> _contracts = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly Lazy<byte[]> _metadata;
    private readonly ClientIdentityCache _identities = new();

    public ContractRouter(params Contract[] contracts) : this(contracts, null)
    {
    }

    public ContractRouter(IEnumerable<Contract> contracts, ILogger? logger)
    {
        _logger = logger ?? NullLogger.Instance;
        var descriptors = contracts.Select(ContractDescriptor.From).ToList();
        if (descriptors.Count == 0) throw new ArgumentException("A chaincode needs at least one contract.", nameof(contracts));
        var defaults = descriptors.Where(d => d.IsDefault).ToList();
        if (defaults.Count > 1)
            throw new ArgumentException($"Only one contract can be the default; marked: {string.Join(", ", defaults.Select(d => d.Name))}.", nameof(contracts));
        if (defaults.Count == 0) descriptors[0] = descriptors[0].AsDefault();

        foreach (var descriptor in descriptors)
            if (descriptor.Name == SystemContractName || !_contracts.TryAdd(descriptor.Name, descriptor))
                throw new ArgumentException($"Two contracts are named '{descriptor.Name}' (or it is reserved).", nameof(contracts));
        DefaultContract = descriptors.Single(d => d.IsDefault);
        _metadata = new Lazy<byte[]>(() => ContractMetadata.Build(Contracts));
    }

    /// <summary>Finds every non-abstract <see cref="Contract"/> subclass marked [Contract] in an assembly and creates it with its parameterless constructor.</summary>
    public static ContractRouter FromAssembly(Assembly assembly, ILogger? logger = null) =>
        new(assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(Contract)) && t.GetCustomAttribute<ContractAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (Contract)Activator.CreateInstance(t)!), logger);

    public IReadOnlyCollection<ContractDescriptor> Contracts => _contracts.Values;
    public ContractDescriptor DefaultContract { get; }

    public Task<ChaincodeResponse> InitAsync(IChaincodeStub stub) => InvokeAsync(stub);

    public async Task<ChaincodeResponse> InvokeAsync(IChaincodeStub stub)
    {
        if (stub.Args.Count == 0)
            return ChaincodeResponse.Success("Default initiator successful."u8.ToArray());
        var (contractName, functionName) = SplitFunctionName(stub.Function);
        try
        {
            if (contractName == SystemContractName && functionName == "GetMetadata")
                return ChaincodeResponse.Success(_metadata.Value);
            if (!_contracts.TryGetValue(contractName, out var contract))
                throw new ChaincodeException($"Contract name is not known: {contractName}", 404);

            var context = new Context(stub, ReadIdentity(stub));
            var function = contract.Find(functionName);
            if (function is null)
            {
                await contract.Instance.UnknownTransactionAsync(context).ConfigureAwait(false);
                return ChaincodeResponse.Success([]);
            }

            var arguments = stub.Args.Skip(1).ToArray();
            await contract.Instance.BeforeTransactionAsync(context).ConfigureAwait(false);
            var result = await function.InvokeAsync(contract.Instance, context, arguments).ConfigureAwait(false);
            await contract.Instance.AfterTransactionAsync(context, result).ConfigureAwait(false);
            return ChaincodeResponse.Success(ResultSerializer.ToBytes(result));
        }
        catch (ChaincodeException e)
        {
            _logger.LogInformation("{Contract}:{Function} in [{Channel}-{TxId}] refused with status {Status}", Printable.Of(contractName), Printable.Of(functionName), Printable.Of(stub.ChannelId), Printable.Of(stub.TxId), e.Status);
            return new ChaincodeResponse(e.Status, e.Message, e.Payload);
        }
        catch (Exception e)
        {
            _logger.LogWarning("{Contract}:{Function} in [{Channel}-{TxId}] failed with {Exception}", Printable.Of(contractName), Printable.Of(functionName), Printable.Of(stub.ChannelId), Printable.Of(stub.TxId), e.GetType().Name);
            return ChaincodeResponse.Error(e.Message);
        }
    }

    /// <summary>Splits <c>Contract:Function</c> at the first ':'; no contract part (or an empty one) means the default contract.</summary>
    public (string Contract, string Function) SplitFunctionName(string name)
    {
        var colon = name.IndexOf(':');
        var contract = colon < 0 ? "" : name[..colon];
        var function = colon < 0 ? name : name[(colon + 1)..];
        return (string.IsNullOrWhiteSpace(contract) ? DefaultContract.Name : contract, function);
    }

    private ClientIdentity ReadIdentity(IChaincodeStub stub)
    {
        try
        {
            return _identities.Get(stub.Creator);
        }
        catch (Exception e) when (e is not ChaincodeException)
        {
            throw new ChaincodeException($"The transaction's creator is not a readable X.509 identity: {e.Message}", 500);
        }
    }
}
