namespace Fabric.Client;

/// <summary>
/// The one rule for a signed transaction whose submit may have reached the orderer (a submit that failed or timed
/// out, a transaction restored from storage after a crash): its commit status decides before it is sent again. Sending
/// it again is harmless to the ledger (a duplicate transaction id changes nothing), but only the status of the first
/// one says how it ended. Fabric.Client's own retries use it, and so does the gateway service's outbox, which keeps
/// the transaction across restarts.
/// </summary>
public static class UnknownSubmitOutcome
{
    /// <summary>
    /// Looks for the transaction in a block for up to <paramref name="statusWait"/>; sends it again only when it is in
    /// none.
    /// </summary>
    /// <param name="getStatus">The transaction's commit status, or null when it is not in a block within the wait given.</param>
    /// <param name="send">Sends the same signed transaction again.</param>
    /// <param name="statusWait">How long the transaction may take to appear in a block before it is sent again.</param>
    /// <param name="cancellationToken">Ends the wait and the send.</param>
    /// <returns>The status found, or null when the transaction was sent again.</returns>
    public static async Task<TStatus?> CheckThenResendAsync<TStatus>(
        Func<TimeSpan, CancellationToken, Task<TStatus?>> getStatus,
        Func<CancellationToken, Task> send,
        TimeSpan statusWait,
        CancellationToken cancellationToken)
        where TStatus : class
    {
        ArgumentNullException.ThrowIfNull(getStatus);
        ArgumentNullException.ThrowIfNull(send);
        var status = await getStatus(statusWait, cancellationToken);
        if (status is not null) return status;
        await send(cancellationToken);
        return null;
    }
}
