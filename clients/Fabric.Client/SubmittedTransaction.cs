namespace Fabric.Client;

/// <summary>
/// A transaction accepted by the orderer: its result is available now, its commit status once it is in a block.
/// Returned by <see cref="Transaction.SubmitAsync"/> and <c>Contract.SubmitAsync</c>.
/// </summary>
/// <example><code>
/// var submitted = await contract.SubmitAsync("redeem", new ProposalOptions().AddArguments(redemptionJson));
/// ReplyToTerminal(submitted.Result);           // before the commit
/// var status = await submitted.GetStatusAsync(); // block number and validation code
/// if (!status.Successful) throw new CommitException(status);
/// </code></example>
public sealed class SubmittedTransaction
{
    private readonly Commit _commit;
    private readonly byte[] _result;
    private readonly CommitStatus? _alreadyKnown;

    internal SubmittedTransaction(Commit commit, byte[] result, CommitStatus? alreadyKnown)
    {
        _commit = commit;
        _result = result;
        _alreadyKnown = alreadyKnown;
    }

    public string TransactionId => _commit.TransactionId;

    /// <summary>What the transaction function returned during endorsement.</summary>
    public byte[] Result => (byte[])_result.Clone();

    /// <summary>The commit-status request, for offline signing or to ask again later.</summary>
    public Commit Commit => _commit;

    /// <summary>Waits for the transaction to be committed and returns its status (it does not throw for invalid transactions).</summary>
    /// <exception cref="CommitStatusException">The status could not be read.</exception>
    public Task<CommitStatus> GetStatusAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _alreadyKnown is { } known ? Task.FromResult(known) : _commit.GetStatusAsync(timeout, cancellationToken);
}
