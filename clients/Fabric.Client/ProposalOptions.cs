using System.Text;

namespace Fabric.Client;

/// <summary>
/// What goes into a transaction proposal besides the function name: arguments, transient (private) data that is
/// passed to the chaincode but not recorded on the ledger, and the organisations that should endorse.
/// </summary>
/// <example><code>
/// var options = new ProposalOptions()
///     .AddArguments("asset1")
///     .AddTransient("secret", "opensesame")
///     .WithEndorsingOrganizations("Org1MSP", "Org2MSP");
/// </code></example>
public sealed class ProposalOptions
{
    public List<byte[]> Arguments { get; } = [];

    public Dictionary<string, byte[]> TransientData { get; } = new(StringComparer.Ordinal);

    /// <summary>Only these organisations' peers are sent the proposal (for private data or key-level endorsement); all when empty.</summary>
    public List<string> EndorsingOrganizations { get; } = [];

    /// <summary>Appends UTF-8 string arguments.</summary>
    public ProposalOptions AddArguments(params string[] arguments)
    {
        foreach (var argument in arguments) Arguments.Add(Encoding.UTF8.GetBytes(argument));
        return this;
    }

    /// <summary>Appends binary arguments.</summary>
    public ProposalOptions AddArguments(params byte[][] arguments)
    {
        Arguments.AddRange(arguments);
        return this;
    }

    public ProposalOptions AddTransient(string key, byte[] value)
    {
        TransientData[key] = value;
        return this;
    }

    public ProposalOptions AddTransient(string key, string value) => AddTransient(key, Encoding.UTF8.GetBytes(value));

    public ProposalOptions WithEndorsingOrganizations(params string[] mspIds)
    {
        EndorsingOrganizations.Clear();
        EndorsingOrganizations.AddRange(mspIds);
        return this;
    }
}
