namespace Fabric.Grpc;

/// <summary>Per-call options: a deadline (sent as <c>grpc-timeout</c> and enforced locally), cancellation, headers.</summary>
public readonly record struct CallOptions(DateTime? Deadline = null, CancellationToken CancellationToken = default, Metadata? Headers = null)
{
    public static CallOptions WithTimeout(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(DateTime.UtcNow + timeout, cancellationToken);
}
