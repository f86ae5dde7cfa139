namespace Fabric.Client.Internal;

/// <summary>
/// Submits one signed envelope under the idempotent-call pipeline. A failed submit may still have reached the
/// orderer, so a retry follows <see cref="UnknownSubmitOutcome"/>: the commit status is checked for a while first, and
/// if the transaction committed there is nothing to resend.
/// </summary>
internal sealed class SubmitWithRecovery(GatewayClient client, Commit commit)
{
    /// <returns>The commit status when a retry found the transaction already committed; otherwise null.</returns>
    public async Task<CommitStatus?> SubmitAsync(global::Gateway.SubmitRequest request, TimeSpan? timeout, CancellationToken ct)
    {
        var resilience = client.Options.Resilience;
        var outcomeUnknown = false;
        return await resilience.IdempotentCalls.ExecuteAsync(async token =>
        {
            try
            {
                // An offline-signing caller has not signed the commit request yet; resending the same envelope is still safe.
                if (outcomeUnknown && commit.CanBeSent)
                    return await UnknownSubmitOutcome.CheckThenResendAsync(TryGetStatusAsync, SendAsync, resilience.UnknownOutcomeStatusTimeout, token);
                await SendAsync(token);
                return null;
            }
            catch (SubmitException e) when (GatewayResilience.IsTransient(e))
            {
                outcomeUnknown = true;
                throw;
            }
        }, ct);

        Task SendAsync(CancellationToken token) => client.SubmitOnceAsync(request, timeout, token);
    }

    private async Task<CommitStatus?> TryGetStatusAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await commit.GetStatusOnceAsync(timeout, ct);
        }
        catch (CommitStatusException e) when (GatewayResilience.IsTransient(e))
        {
            // Not in a block within the window (or the peer is unreachable): the envelope may be sent again.
            return null;
        }
    }
}
