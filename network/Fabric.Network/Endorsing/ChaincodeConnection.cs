using Fabric.Protocol.Transactions;
using System.Collections.Concurrent;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Client;
using Grpc.Net.Client;
using Fabric.Network.Configuration;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Network.Endorsing;

/// <summary>
/// A peer's connection to a chaincode served as a service: the peer dials the chaincode server and opens
/// the duplex <c>/protos.Chaincode/Connect</c> stream; the chaincode sends REGISTER, the peer answers
/// REGISTERED and READY; then each proposal is a TRANSACTION whose state requests the peer answers from
/// that transaction's simulator until COMPLETED or ERROR. Many transactions share the stream. A broken
/// stream fails the transactions in flight and is dialled again on the next proposal. With a dial timeout
/// (connection.json's dial_timeout) the dial counts as done when REGISTER arrives, which every shim sends as
/// soon as the stream opens: grpc-go's dial waits for the server's HTTP/2 SETTINGS, which .NET's handler does
/// not expose, so a server that takes the TCP connection and never speaks HTTP/2 is caught the same way.
/// </summary>
public sealed class ChaincodeConnection : IAsyncDisposable
{
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> ConnectMethod =
        ProtobufMethod.Create(MethodType.DuplexStreaming, "protos.Chaincode", "Connect", ChaincodeMessage.Parser, ChaincodeMessage.Parser);

    private readonly Uri _address;
    private readonly FabricChannelOptions _options;
    private readonly string? _expectedPackageId;
    private readonly TimeSpan? _dialTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, Running> _running = new();
    private GrpcChannel? _channel;
    private IDuplexCall<ChaincodeMessage, ChaincodeMessage>? _call;
    private Task? _reader;

    /// <summary>How long the chaincode may take to register once dialled, when no dial timeout is given.</summary>
    public static readonly TimeSpan RegisterTimeout = TimeSpan.FromSeconds(30);

    public ChaincodeConnection(Uri address, FabricChannelOptions options, string? expectedPackageId, ILogger logger, TimeSpan? dialTimeout = null)
    {
        _address = address;
        _options = options;
        _expectedPackageId = expectedPackageId;
        _dialTimeout = dialTimeout;
        _logger = logger;
    }

    /// <summary>Runs one transaction on the chaincode; state calls go to <paramref name="simulator"/>.</summary>
    public async Task<ChaincodeExecution> ExecuteAsync(ParsedProposal proposal, TxSimulator simulator, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var call = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        var key = proposal.ChannelId + "/" + proposal.TransactionId;
        var running = new Running(simulator, proposal);
        if (!_running.TryAdd(key, running))
            return ChaincodeExecution.NoAnswer($"transaction {proposal.TransactionId} is already executing on this chaincode");
        try
        {
            await WriteAsync(call, new ChaincodeMessage
            {
                Type = MessageType.Transaction,
                Txid = proposal.TransactionId,
                ChannelId = proposal.ChannelId,
                Payload = proposal.Input.ToByteString(),
                Proposal = proposal.Signed,
            }, cancellationToken).ConfigureAwait(false);
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                return await running.Completion.Task.WaitAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ChaincodeExecution.NoAnswer($"timeout expired while executing transaction {proposal.TransactionId}");
            }
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_call is not null) await _call.DisposeAsync().ConfigureAwait(false);
        if (_reader is not null)
        {
            try { await _reader.ConfigureAwait(false); }
            catch (Exception) { }
        }
        _channel?.Dispose();
    }

    private async Task<IDuplexCall<ChaincodeMessage, ChaincodeMessage>> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        var current = _call;
        if (current is not null && _reader is { IsCompleted: false }) return current;
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_call is not null && _reader is { IsCompleted: false }) return _call;
            if (_call is not null) await _call.DisposeAsync().ConfigureAwait(false);
            _call = null;
            _channel ??= FabricChannel.Create(_address, _options);
            // A first dial can be refused while the chaincode server is still coming up; try a few times, as a peer does.
            // A dial that ran out of time is not tried again (as on Fabric): the next proposal dials again.
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await HandshakeAsync(_channel, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (attempt < 3 && !cancellationToken.IsCancellationRequested
                                          && e is RpcException { StatusCode: not StatusCode.DeadlineExceeded } or IOException or HttpRequestException)
                {
                    _logger.LogWarning("connecting to chaincode at {Address} failed (attempt {Attempt}): {Error}", _address, attempt, e.Message);
                    await Task.Delay(100 * attempt, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    // The channel's ConnectTimeout (TCP connect and TLS handshake) expired: SocketsHttpHandler puts a TimeoutException inside.
    private static bool IsConnectTimeout(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is TimeoutException) return true;
        return false;
    }

    // DEADLINE_EXCEEDED, as grpc-go's dial reports "context deadline exceeded".
    private RpcException Unregistered(Exception cause) => RpcErrors.Create(StatusCode.DeadlineExceeded, _dialTimeout is { } dial
        ? $"no connection to {_address.Authority} within the dial timeout of {GoDuration.Format(dial)}"
        : $"the chaincode at {_address.Authority} did not register within {RegisterTimeout.TotalSeconds}s", cause: cause);

    private async Task<IDuplexCall<ChaincodeMessage, ChaincodeMessage>> HandshakeAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        var call = channel.Duplex(ConnectMethod);
        try
        {
            var responses = call.Responses.GetAsyncEnumerator(CancellationToken.None);
            using var registered = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            registered.CancelAfter(_dialTimeout ?? RegisterTimeout);
            // The chaincode speaks first, although the peer opened the stream.
            bool more;
            try
            {
                more = await responses.MoveNextAsync().AsTask().WaitAsync(registered.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (registered.IsCancellationRequested || IsConnectTimeout(e)))
            {
                throw Unregistered(e);
            }
            if (!more)
                throw RpcErrors.Create(StatusCode.Unavailable, $"the chaincode at {_address} closed the stream before registering");
            var register = responses.Current;
            if (register.Type != MessageType.Register)
                throw RpcErrors.Create(StatusCode.Internal, $"the chaincode at {_address} sent {register.Type} instead of REGISTER");
            var id = ChaincodeID.Parser.ParseFrom(register.Payload);
            if (_expectedPackageId is not null && id.Name != _expectedPackageId)
                throw RpcErrors.Create(StatusCode.FailedPrecondition, $"chaincode registered as '{id.Name}', expected package ID '{_expectedPackageId}'");
            await call.WriteAsync(new ChaincodeMessage { Type = MessageType.Registered }, cancellationToken).ConfigureAwait(false);
            await call.WriteAsync(new ChaincodeMessage { Type = MessageType.Ready }, cancellationToken).ConfigureAwait(false);
            _call = call;
            _reader = Task.Run(() => ReadLoopAsync(call, responses));
            _logger.LogInformation("chaincode {Id} registered from {Address}", id.Name, _address);
            return call;
        }
        catch
        {
            await call.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReadLoopAsync(IDuplexCall<ChaincodeMessage, ChaincodeMessage> call, IAsyncEnumerator<ChaincodeMessage> responses)
    {
        string reason = "chaincode stream terminated";
        try
        {
            while (await responses.MoveNextAsync().ConfigureAwait(false))
            {
                var message = responses.Current;
                if (message.Type == MessageType.Keepalive) continue;
                if (!_running.TryGetValue(message.ChannelId + "/" + message.Txid, out var running))
                {
                    _logger.LogWarning("chaincode sent {Type} for unknown transaction {TxId}", message.Type, message.Txid);
                    continue;
                }
                switch (message.Type)
                {
                    case MessageType.Completed:
                        var response = Response.Parser.ParseFrom(message.Payload);
                        running.Completion.TrySetResult(new ChaincodeExecution(response, message.ChaincodeEvent, null));
                        break;
                    case MessageType.Error:
                        running.Completion.TrySetResult(new ChaincodeExecution(new Response { Status = 500, Message = message.Payload.ToStringUtf8() }, null, message.Payload.ToStringUtf8()));
                        break;
                    default:
                        var answer = ChaincodeRequestHandler.Handle(message, running.Simulator);
                        await WriteAsync(call, answer, CancellationToken.None).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e)
        {
            reason = "chaincode stream terminated: " + e.Message;
        }
        foreach (var running in _running.Values)
            running.Completion.TrySetResult(ChaincodeExecution.NoAnswer(reason));
    }

    private async Task WriteAsync(IDuplexCall<ChaincodeMessage, ChaincodeMessage> call, ChaincodeMessage message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { await call.WriteAsync(message, cancellationToken).ConfigureAwait(false); }
        finally { _writeLock.Release(); }
    }

    private sealed class Running(TxSimulator simulator, ParsedProposal proposal)
    {
        public TxSimulator Simulator { get; } = simulator;
        public ParsedProposal Proposal { get; } = proposal;
        public TaskCompletionSource<ChaincodeExecution> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
