namespace CashTransfer.Api.Client;

/// <summary>No answer from the service at all (connection refused, DNS, timeout), after the client's retries.</summary>
public sealed class ServiceUnreachableException(Uri baseAddress, Exception inner)
    : CashTransferApiException($"The CashTransfer service at {baseAddress} did not answer: {inner.Message}",
        $"Check that the service is running at {baseAddress} (the profile's --url) and that this machine can reach it, then try again.", inner)
{
    public Uri BaseAddress { get; } = baseAddress;
    public override bool IsTransient => true;
}
