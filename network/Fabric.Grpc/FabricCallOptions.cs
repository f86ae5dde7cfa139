using Grpc.Core;

namespace Fabric.Grpc;

/// <summary>Call options as Fabric's callers most often need them: a deadline from now.</summary>
public static class FabricCallOptions
{
    public static CallOptions WithTimeout(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
}
