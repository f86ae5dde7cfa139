using System.Text;
using Fabric.Client.Internal;

namespace Fabric.Client;

/// <summary>
/// A smart contract: a chaincode on a channel, optionally one named contract inside it (transaction names
/// become <c>ContractName:function</c>). Offers the one-call forms and <see cref="NewProposal"/> for the fine-grained flow.
/// </summary>
/// <example><code>
/// var contract = gateway.GetNetwork("mychannel").GetContract("basic");
/// byte[] asset = await contract.EvaluateTransactionAsync("ReadAsset", "asset1");
/// byte[] result = await contract.SubmitTransactionAsync("CreateAsset", "asset2", "blue", "5");
/// </code></example>
public sealed class Contract
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;

    internal Contract(GatewayClient client, SigningIdentity signingIdentity, string channelName, string chaincodeName, string? contractName)
    {
        _client = client;
        _signingIdentity = signingIdentity;
        ChannelName = channelName;
        ChaincodeName = chaincodeName;
        ContractName = contractName;
    }

    public string ChannelName { get; }
    public string ChaincodeName { get; }
    public string? ContractName { get; }

    /// <summary>Builds an unsigned proposal; sign it through the gateway's signer or offline (see <see cref="ISignable"/>).</summary>
    public Proposal NewProposal(string transactionName, ProposalOptions? options = null) =>
        new(_client, _signingIdentity, ChannelName,
            ProposalBuilder.Build(_signingIdentity, ChannelName, ChaincodeName, QualifiedName(transactionName), options));

    /// <summary>Runs a query on a peer and returns its result; the ledger is not changed.</summary>
    public Task<byte[]> EvaluateTransactionAsync(string transactionName, params string[] arguments) =>
        EvaluateAsync(transactionName, new ProposalOptions().AddArguments(arguments));

    /// <inheritdoc cref="EvaluateTransactionAsync(string, string[])"/>
    public Task<byte[]> EvaluateAsync(string transactionName, ProposalOptions? options = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        NewProposal(transactionName, options).EvaluateAsync(timeout, cancellationToken);

    /// <summary>Endorses, submits and waits for the commit; returns the transaction function's result.</summary>
    /// <exception cref="EndorseException"/>
    /// <exception cref="SubmitException"/>
    /// <exception cref="CommitStatusException"/>
    /// <exception cref="CommitException">The transaction was committed invalid.</exception>
    public Task<byte[]> SubmitTransactionAsync(string transactionName, params string[] arguments) =>
        SubmitAndCommitAsync(transactionName, new ProposalOptions().AddArguments(arguments));

    /// <summary>
    /// Endorses, submits and waits for the commit. When the commit fails with a read conflict and
    /// <see cref="GatewayResilienceOptions.MaxConflictAttempts"/> allows, a fresh proposal (new transaction id)
    /// is endorsed against the newer state and submitted.
    /// </summary>
    /// <inheritdoc cref="SubmitTransactionAsync(string, string[])"/>
    public async Task<byte[]> SubmitAndCommitAsync(string transactionName, ProposalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var maxAttempts = Math.Max(1, _client.Options.Resilience.MaxConflictAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var submitted = await SubmitAsync(transactionName, options, cancellationToken);
            var status = await submitted.GetStatusAsync(cancellationToken: cancellationToken);
            if (status.Successful) return submitted.Result;
            if (attempt >= maxAttempts || !GatewayResilience.ConflictCodes.Contains(status.Code))
                throw new CommitException(status);
        }
    }

    /// <summary>Endorses and submits, returning as soon as the orderer accepted: the result now, the commit status later.</summary>
    public async Task<SubmittedTransaction> SubmitAsync(string transactionName, ProposalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var transaction = await NewProposal(transactionName, options).EndorseAsync(cancellationToken: cancellationToken);
        return await transaction.SubmitAsync(cancellationToken: cancellationToken);
    }

    private string QualifiedName(string transactionName)
    {
        if (string.IsNullOrEmpty(transactionName)) throw new ArgumentException("A transaction name is required.", nameof(transactionName));
        return string.IsNullOrEmpty(ContractName) ? transactionName : ContractName + ":" + transactionName;
    }

    /// <summary>UTF-8 text of a result, for contracts that return strings or JSON.</summary>
    public static string AsString(byte[] result) => Encoding.UTF8.GetString(result);
}
