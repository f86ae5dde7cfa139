namespace CashTransfer.Chaos.Chaos;

/// <summary>Waits before each POST, so that a terminal's backlog reaches the service over the rounds instead of all at once.</summary>
public sealed class PacingHandler(TimeSpan pace) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post) await Task.Delay(pace, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
