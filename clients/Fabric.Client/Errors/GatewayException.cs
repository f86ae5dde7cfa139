using Grpc.Core;

namespace Fabric.Client;

/// <summary>
/// A Gateway call failed with a gRPC status. Carries the status code and, for every endpoint that failed,
/// the gateway's <see cref="ErrorDetail"/>. Evaluate and events calls throw this type; endorse, submit and
/// commit-status calls throw the subclasses that add the transaction id.
/// </summary>
/// <example><code>
/// try { await contract.EvaluateTransactionAsync("get", "asset1"); }
/// catch (GatewayException e)
/// {
///     foreach (var d in e.Details) Console.Error.WriteLine($"{d.Address} ({d.MspId}): {d.Message}");
/// }
/// </code></example>
public class GatewayException : Exception
{
    public GatewayException(RpcException cause)
        : this(cause.Status.Detail, cause) { }

    protected GatewayException(string message, RpcException cause)
        : base(string.IsNullOrEmpty(message) ? $"gRPC status {cause.StatusCode}, without a message" : message, cause)
    {
        StatusCode = cause.StatusCode;
        Details = GatewayErrorDetails.From(cause);
    }

    /// <summary>The gRPC status the gateway answered with (e.g. ABORTED for a failed endorsement).</summary>
    public StatusCode StatusCode { get; }

    /// <summary>Per-endpoint failures; empty when the gateway attached none.</summary>
    public IReadOnlyList<ErrorDetail> Details { get; }

    /// <summary>The transport's exception, with the raw trailers.</summary>
    public RpcException RpcException => (RpcException)InnerException!;
}
