using Grpc.Core;

namespace Fabric.Grpc.Client;

/// <summary>
/// A stream read that fails CANCELLED when the call's deadline has come, and not because its caller cancelled, reports
/// DEADLINE_EXCEEDED, as grpc-go's client does. Grpc.AspNetCore.Server resets a stream whose response has started with
/// RST_STREAM CANCEL at its deadline; when the server's timer fires before the client's own, Grpc.Net.Client reports that
/// reset as CANCELLED (Fabric.Grpc.Tests' deadline test saw it in about one run of eight of the whole suite).
/// </summary>
internal static class StreamDeadline
{
    /// <summary>
    /// How much earlier than the client's deadline the server's may fire: the server counts the grpc-timeout it was
    /// sent (whole milliseconds) from the request's arrival.
    /// </summary>
    public static readonly TimeSpan ServerLead = TimeSpan.FromMilliseconds(50);

    public static async Task<bool> MoveNextAsync<T>(IAsyncStreamReader<T> responses, DateTime? deadline, CancellationToken callerCancellation)
    {
        try
        {
            return await responses.MoveNext(CancellationToken.None).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !callerCancellation.IsCancellationRequested && HasCome(deadline))
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", e), e.Trailers);
        }
    }

    private static bool HasCome(DateTime? deadline) =>
        deadline is { } d && d != DateTime.MaxValue && DateTime.UtcNow >= d.ToUniversalTime() - ServerLead;
}
