namespace Fabric.Client.Internal;

/// <summary>
/// Submits one signed envelope under the idempotent-call pipeline. A failed submit may still have reached the
/// orderer, so before the envelope is sent again the transaction's commit status is checked for a while:
/// if it committed, there is nothing to resend.
/// </summary>
internal sealed class SubmitWithRecovery(GatewayClient client, Commit commit)
{
    /// <returns>The commit status when the check found the transaction already committed; otherwise null.</returns>
    public async Task<CommitStatus?> SubmitAsync(global::Gateway.SubmitRequest request, TimeSpan? timeout, CancellationToken ct)
    {
        var resilience = client.Options.Resilience;
        var outcomeUnknown = false;
        return await resilience.IdempotentCalls.ExecuteAsync(async token =>
        {
            // An offline-signing caller has not signed the commit request yet; resending the same envelope is still safe.
            if (outcomeUnknown && commit.CanBeSent)
            {
                var status = await TryGetStatusAsync(resilience.UnknownOutcomeStatusTimeout, token);
                if (status is not null) return status;
            }
            try
            {
                await client.SubmitOnceAsync(request, timeout, token);
                return null;
            }
            catch (SubmitException e) when (GatewayResilience.IsTransient(e))
            {
                outcomeUnknown = true;
                throw;
            }
        }, ct);
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
