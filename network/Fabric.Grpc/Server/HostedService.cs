using Grpc.Core;

namespace Fabric.Grpc.Server;

/// <summary>
/// The service instance Grpc.AspNetCore.Server calls for the methods of a <see cref="GrpcServiceDefinition"/>: it
/// gives each handler a context whose token also fires when the server stops, so that long streams (Deliver,
/// chaincode events, a chaincode connection) end with UNAVAILABLE instead of holding the shutdown; and it bounds every
/// error a handler throws (<see cref="RpcErrors.Bounded(RpcException)"/>).
/// </summary>
internal sealed class HostedService(CancellationToken stopping)
{
    private int activeCalls;

    /// <summary>Waits until no handler is running (after stopping cancelled them), so that their statuses leave before Kestrel's GOAWAY.</summary>
    public async Task WaitForCallsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref activeCalls) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10).ConfigureAwait(false);
    }

    public async Task<T> RunAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> handler)
    {
        using var stoppable = new StoppableServerCallContext(context, stopping);
        Interlocked.Increment(ref activeCalls);
        try
        {
            return await handler(stoppable).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client's cancellation or the deadline, as Grpc.AspNetCore.Server sees it: it reports these itself.
            throw;
        }
        catch (OperationCanceledException e) when (context.RequestAborted().IsCancellationRequested)
        {
            // The client reset the stream, or the deadline aborted the request, before the call's token fired (under a
            // deadline that token is the deadline's own, which follows the abort a moment later). Grpc.AspNetCore.Server
            // would log this cancellation as a handler's error; a status it logs at Information, and sends only if the
            // deadline has not already sent its own.
            throw DateTime.UtcNow >= context.Deadline
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", e))
                : new RpcException(new Status(StatusCode.Cancelled, "The client cancelled the call", e));
        }
        catch (OperationCanceledException e)
        {
            // The server stopping, or a handler giving up, which the client hears as UNAVAILABLE or CANCELLED rather
            // than UNKNOWN.
            throw stopping.IsCancellationRequested
                ? new RpcException(new Status(StatusCode.Unavailable, "The server is shutting down", e))
                : new RpcException(new Status(StatusCode.Cancelled, "Call cancelled by the server", e));
        }
        catch (Exception e) when (MalformedProtobuf.IsParseFailure(e))
        {
            // A message a handler parses from request bytes (a proposal, a payload, a header) is malformed.
            throw new RpcException(new Status(StatusCode.InvalidArgument, RpcErrors.Bounded($"malformed protobuf message: {e.Message}"), e));
        }
        catch (RpcException e)
        {
            // A status a client could not take (its message or trailers quote too much of a request): beyond a client's
            // header limit, the client drops the whole connection with every other call on it, so no handler may send one.
            var bounded = RpcErrors.Bounded(e);
            if (ReferenceEquals(bounded, e)) throw;
            throw bounded;
        }
        finally
        {
            Interlocked.Decrement(ref activeCalls);
        }
    }

    public Task RunAsync(ServerCallContext context, Func<ServerCallContext, Task> handler) =>
        RunAsync(context, async c => { await handler(c).ConfigureAwait(false); return true; });
}
