using Grpc.Core;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>A duplex method to fuzz: where it is served, and how the fuzzer knows that the server has answered a message.</summary>
/// <param name="EndsTurn">True for the response that completes the server's answer to one message (Deliver: its status).</param>
/// <param name="Probe">Sent after each message when not every message gets an answer: its echo ends the turn (the chaincode echoes KEEPALIVE).</param>
internal sealed record DuplexTarget(string Name, Uri Address, Method<byte[], byte[]> Method, Func<byte[], bool> EndsTurn, byte[]? Probe = null);

/// <summary>
/// One conversation on a duplex method, held as a careful client holds it: on a connection of its own, one message per
/// turn, the next sent only once the server has answered the last, then a half-close and the call's status. Each message
/// is counted with what it got: an answer with the stream left open, the status that ended the call, or no answer (the
/// server keeps the stream open, e.g. Deliver waiting for blocks; the fuzzer hangs up).
/// </summary>
/// <remarks>
/// Why a connection of its own: a server ends a call at once on a message it cannot parse (as grpc-go does), possibly
/// while the client is still writing. Grpc.Net.Client then resets the stream, and SocketsHttpHandler can still send a
/// DATA frame of the write in flight after its RST_STREAM. Kestrel answers a frame after a reset with GOAWAY
/// STREAM_CLOSED for the whole connection (grpc-go ignores it), which failed every other call on a shared connection
/// ("Error starting gRPC call ... STREAM_CLOSED" for ~10% of fuzzed duplex messages). Alone on its connection, only the
/// conversation that has already ended is affected.
/// </remarks>
internal static class DuplexConversation
{
    private static readonly TimeSpan AnswerWait = TimeSpan.FromMilliseconds(300);

    /// <summary>Sends <paramref name="messages"/> one turn at a time until the server ends the call; returns how many were sent.</summary>
    public static async Task<int> RunAsync(DuplexTarget target, IReadOnlyList<(byte[] Bytes, string Kind)> messages, FuzzTally tally, CancellationToken ct)
    {
        using var channel = GrpcFuzzer.Channel(target.Address);
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(target.Method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: ct));
        var sent = 0;
        foreach (var (bytes, kind) in messages)
        {
            sent++;
            var end = await TakeTurnAsync(call, target, bytes, ct);
            if (end is null)
            {
                tally.Count(target.Name, "answered, stream open");
                continue;
            }
            GrpcOutcome.Record(tally, target.Name, kind, bytes, end);
            return sent;
        }
        // Every message answered: half-close, as a peer does, and the call must end with a status that is not a fault.
        var closing = await EndAsync(call, half: true, ct);
        if (closing is { Error: not null }) GrpcOutcome.Record(tally, target.Name, "half-close", [], closing, messages: 0);
        else tally.Note(target.Name, $"conversations: {closing?.Outcome ?? "OK after the half-close"}");
        return sent;
    }

    /// <summary>Writes one message (and the probe) and reads until the turn ends: null while the call goes on, else how it ended.</summary>
    private static async Task<CallEnd?> TakeTurnAsync(AsyncDuplexStreamingCall<byte[], byte[]> call, DuplexTarget target, byte[] bytes, CancellationToken ct)
    {
        try
        {
            await call.RequestStream.WriteAsync(bytes, ct);
            if (target.Probe is { } probe) await call.RequestStream.WriteAsync(probe, ct);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException && !ct.IsCancellationRequested)
        {
            return await EndAsync(call, half: false, ct); // the server ended the call while we wrote: its status says why
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(AnswerWait);
        try
        {
            while (await call.ResponseStream.MoveNext(wait.Token))
                if (target.EndsTurn(call.ResponseStream.Current)) return null;
            return CallEnd.Ok;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && wait.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return CallEnd.HungUp;
        }
        catch (RpcException e)
        {
            return new CallEnd(e);
        }
    }

    /// <summary>Reads the call to its end (after a half-close when <paramref name="half"/>): its status, or hung up when the server keeps it open.</summary>
    private static async Task<CallEnd?> EndAsync(AsyncDuplexStreamingCall<byte[], byte[]> call, bool half, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(AnswerWait);
        try
        {
            if (half) await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(wait.Token)) { }
            return half ? null : CallEnd.Ok;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && wait.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return CallEnd.HungUp;
        }
        catch (RpcException e)
        {
            return new CallEnd(e);
        }
    }
}

/// <summary>How a call ended: with an error status, OK, or not at all (the fuzzer hung up).</summary>
internal sealed record CallEnd(RpcException? Error, string Outcome = "")
{
    public static readonly CallEnd Ok = new(null, "OK (server ended the stream)");
    public static readonly CallEnd HungUp = new(null, "kept open, fuzzer hung up");
}
