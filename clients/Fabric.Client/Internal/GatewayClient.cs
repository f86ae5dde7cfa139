using System.Runtime.CompilerServices;
using Grpc.Core;
using Fabric.Grpc.Client;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Client.Internal;

/// <summary>
/// The Gateway RPCs with this client's conventions applied: a deadline per call kind, transport errors turned
/// into the typed exceptions (and the caller's own cancellation into <see cref="OperationCanceledException"/>: see
/// <see cref="CallerCancellation"/>), and the idempotent-call pipeline around the calls that may be repeated.
/// </summary>
internal sealed class GatewayClient(CallInvoker invoker, GatewayOptions options)
{
    public GatewayOptions Options => options;

    public Task<EvaluateResponse> EvaluateAsync(EvaluateRequest request, TimeSpan? timeout, CancellationToken ct) =>
        RetriedAsync(GatewayMethods.Evaluate, request, timeout ?? options.EvaluateTimeout, e => new GatewayException(e), ct);

    public Task<EndorseResponse> EndorseAsync(EndorseRequest request, TimeSpan? timeout, CancellationToken ct) =>
        RetriedAsync(GatewayMethods.Endorse, request, timeout ?? options.EndorseTimeout, e => new EndorseException(request.TransactionId, e), ct);

    /// <summary>One submit attempt, no retry: the caller decides, because a failed submit may have reached the orderer.</summary>
    public Task<SubmitResponse> SubmitOnceAsync(global::Gateway.SubmitRequest request, TimeSpan? timeout, CancellationToken ct) =>
        CallAsync(GatewayMethods.Submit, request, timeout ?? options.SubmitTimeout, e => new SubmitException(request.TransactionId, e), ct);

    public Task<CommitStatusResponse> CommitStatusAsync(SignedCommitStatusRequest request, string transactionId, TimeSpan? timeout, CancellationToken ct) =>
        RetriedAsync(GatewayMethods.CommitStatus, request, timeout ?? options.CommitStatusTimeout, e => new CommitStatusException(transactionId, e), ct);

    /// <summary>One commit-status attempt with an explicit deadline (the unknown-outcome check).</summary>
    public Task<CommitStatusResponse> CommitStatusOnceAsync(SignedCommitStatusRequest request, string transactionId, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(GatewayMethods.CommitStatus, request, timeout, e => new CommitStatusException(transactionId, e), ct);

    public async IAsyncEnumerable<ChaincodeEventsResponse> ChaincodeEventsAsync(SignedChaincodeEventsRequest request, TimeSpan? timeout,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var responses = invoker.ServerStreaming(GatewayMethods.ChaincodeEvents, request, NewCallOptions(timeout ?? options.EventsTimeout, ct));
        await using var enumerator = responses.GetAsyncEnumerator(ct);
        while (await NextAsync(enumerator, ct)) yield return enumerator.Current;
    }

    /// <summary>Opens a Deliver stream, sends the signed seek envelope and yields the peer's responses.</summary>
    public async IAsyncEnumerable<DeliverResponse> DeliverAsync(Method<Common.Envelope, DeliverResponse> method, Common.Envelope request, TimeSpan? timeout,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var call = invoker.Duplex(method, NewCallOptions(timeout ?? options.EventsTimeout, ct));
        // No half-close after the seek request, as fabric-gateway does: a peer may end the stream on EOF.
        await CallerCancellation.TranslateAsync(async () => { await call.WriteAsync(request, ct); return true; }, e => new GatewayException(e), ct);
        await using var enumerator = call.Responses.GetAsyncEnumerator(ct);
        while (await NextAsync(enumerator, ct)) yield return enumerator.Current;
    }

    private static Task<bool> NextAsync<T>(IAsyncEnumerator<T> enumerator, CancellationToken ct) =>
        CallerCancellation.TranslateAsync(() => enumerator.MoveNextAsync().AsTask(), e => new GatewayException(e), ct);

    private async Task<TResponse> RetriedAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, TimeSpan timeout,
        Func<RpcException, GatewayException> wrap, CancellationToken ct)
        where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse>
    {
        try
        {
            // The caller's cancellation is an OperationCanceledException, which TransientRetry does not handle: never retried.
            return await options.Resilience.IdempotentCalls.ExecuteAsync(async token => await CallAsync(method, request, timeout, wrap, token), ct);
        }
        catch (OperationCanceledException e) when (CallerCancellation.CarriesAnotherToken(e, ct))
        {
            throw CallerCancellation.WithCallerToken(e, ct);
        }
    }

    private Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, TimeSpan timeout,
        Func<RpcException, GatewayException> wrap, CancellationToken ct)
        where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
        CallerCancellation.TranslateAsync(() => invoker.UnaryAsync(method, request, NewCallOptions(timeout, ct)), wrap, ct);

    private static CallOptions NewCallOptions(TimeSpan? timeout, CancellationToken ct) =>
        new(deadline: timeout is { } t ? DateTime.UtcNow + t : null, cancellationToken: ct);
}
