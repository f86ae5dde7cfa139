using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Fabric.Grpc.Client;

/// <summary>
/// A bidirectional call on an official <see cref="CallInvoker"/>. Grpc.Net.Client refuses a write while another is
/// pending, and Fabric's callers write from several tasks (a peer answering state requests of concurrent
/// transactions), so writes wait their turn here.
/// </summary>
internal sealed class DuplexCall<TRequest, TResponse> : IDuplexCall<TRequest, TResponse>
    where TRequest : class where TResponse : class
{
    private readonly CancellationTokenSource cancellation;
    private readonly AsyncDuplexStreamingCall<TRequest, TResponse> call;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly DateTime? deadline;
    private bool responsesTaken;

    public DuplexCall(CallInvoker invoker, Method<TRequest, TResponse> method, CallOptions options)
    {
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        deadline = options.Deadline;
        call = invoker.AsyncDuplexStreamingCall(method, null, options.WithCancellationToken(cancellation.Token));
    }

    public IAsyncEnumerable<TResponse> Responses => ReadResponses();

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await call.RequestStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task CompleteAsync()
    {
        await writeLock.WaitAsync().ConfigureAwait(false);
        try { await call.RequestStream.CompleteAsync().ConfigureAwait(false); }
        finally { writeLock.Release(); }
    }

    public void Cancel()
    {
        try { cancellation.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private async IAsyncEnumerable<TResponse> ReadResponses([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (responsesTaken) throw new InvalidOperationException("The responses of a call can be read only once");
        responsesTaken = true;
        using var registration = cancellationToken.Register(Cancel);
        while (await StreamDeadline.MoveNextAsync(call.ResponseStream, deadline, cancellation.Token).ConfigureAwait(false))
            yield return call.ResponseStream.Current;
    }

    public ValueTask DisposeAsync()
    {
        call.Dispose(); // cancels the call if it has not ended
        cancellation.Dispose();
        return ValueTask.CompletedTask;
    }
}
