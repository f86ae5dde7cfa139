using System.Collections.Concurrent;
using Fabric.Shim.Stub;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Handler;

/// <summary>
/// Speaks the chaincode side of Fabric's chaincode protocol on one stream: REGISTER, then REGISTERED and
/// READY from the peer; after that INIT and TRANSACTION messages, each run concurrently with its own stub,
/// whose requests are answered by RESPONSE or ERROR matched on (channel, txid); each ends with COMPLETED
/// carrying the <c>peer.Response</c> and the chaincode event. KEEPALIVE is echoed. Nothing a chaincode does
/// (throwing, returning null, hanging one transaction) stops the stream or other transactions.
/// </summary>
/// <example><code>
/// var handler = new ChaincodeHandler("kvcc_1.0:abc…", new ContractRouter(new KvContract()));
/// await handler.RunAsync(stream, cancellationToken); // returns when the peer closes the stream
/// </code></example>
public sealed class ChaincodeHandler
{
    private enum State { Created, Established, Ready }

    private readonly string _chaincodeId;
    private readonly IChaincode _chaincode;
    private readonly ILogger _logger;

    public ChaincodeHandler(string chaincodeId, IChaincode chaincode, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chaincodeId);
        _chaincodeId = chaincodeId;
        _chaincode = chaincode ?? throw new ArgumentNullException(nameof(chaincode));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Runs the conversation until the peer ends the stream or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(IChaincodeMessageStream stream, CancellationToken cancellationToken = default)
    {
        using var connectionClosed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var conversation = new Conversation(this, stream, connectionClosed.Token, cancellationToken);
        try
        {
            await conversation.SendAsync(new ChaincodeMessage
            {
                Type = MessageType.Register,
                Payload = new ChaincodeID { Name = _chaincodeId }.ToByteString(),
            }).ConfigureAwait(false);

            await foreach (var message in stream.ReadAllAsync(connectionClosed.Token).ConfigureAwait(false))
                await conversation.ReceiveAsync(message).ConfigureAwait(false);
        }
        finally
        {
            // The peer is gone: fail the requests still waiting, then let their transactions finish.
            await connectionClosed.CancelAsync().ConfigureAwait(false);
            await conversation.DrainAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The state of one stream: handshake progress, transactions in flight, and the single writer.</summary>
    /// <param name="closed">Fires when the peer's side of the stream has ended: waits (for a request's answer, for the
    /// writer) give up.</param>
    /// <param name="callEnded">Fires when the call itself is over (the peer reset it, the server stops): only this
    /// cancels a write already under way, since a cancelled write makes the server reset the stream (INTERNAL_ERROR)
    /// and lose the messages before it, as the fuzzer saw after its half-close.</param>
    private sealed class Conversation(ChaincodeHandler owner, IChaincodeMessageStream stream, CancellationToken closed, CancellationToken callEnded)
    {
        private readonly SemaphoreSlim _oneWriter = new(1, 1);
        private readonly ConcurrentDictionary<(string Channel, string TxId), TransactionContext> _inFlight = new();
        private readonly ConcurrentDictionary<Task, byte> _running = new();
        private State _state = State.Created;

        public async Task SendAsync(ChaincodeMessage message, CancellationToken cancellationToken = default)
        {
            await _oneWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(message, callEnded).ConfigureAwait(false);
            }
            finally
            {
                _oneWriter.Release();
            }
        }

        public async Task ReceiveAsync(ChaincodeMessage message)
        {
            if (message.Type == MessageType.Keepalive)
            {
                await SendAsync(message).ConfigureAwait(false);
                return;
            }

            switch (_state)
            {
                case State.Created when message.Type == MessageType.Registered:
                    _state = State.Established;
                    return;
                case State.Established when message.Type == MessageType.Ready:
                    _state = State.Ready;
                    owner._logger.LogInformation("Chaincode {ChaincodeId} registered with the peer and ready", owner._chaincodeId);
                    return;
                case State.Ready:
                    await ReceiveWhenReadyAsync(message).ConfigureAwait(false);
                    return;
                default:
                    await SendAsync(OutOfTurn(message)).ConfigureAwait(false);
                    return;
            }
        }

        private async Task ReceiveWhenReadyAsync(ChaincodeMessage message)
        {
            switch (message.Type)
            {
                case MessageType.Response or MessageType.Error:
                    if (!_inFlight.TryGetValue((message.ChannelId, message.Txid), out var context) || !context.Deliver(message))
                        owner._logger.LogWarning("{Type} for [{Channel}-{TxId}] answers no pending request; ignored", message.Type, Printable.Of(message.ChannelId), Short(message.Txid));
                    return;
                case MessageType.Init or MessageType.Transaction:
                    await StartTransactionAsync(message).ConfigureAwait(false);
                    return;
                case MessageType.Registered or MessageType.Ready:
                    return; // repeated handshake messages are harmless
                default:
                    await SendAsync(OutOfTurn(message)).ConfigureAwait(false);
                    return;
            }
        }

        private async Task StartTransactionAsync(ChaincodeMessage message)
        {
            var context = new TransactionContext(message.ChannelId, message.Txid, SendAsync, closed);
            if (!_inFlight.TryAdd((message.ChannelId, message.Txid), context))
            {
                await SendAsync(ErrorFor(message, $"[{message.ChannelId}-{message.Txid}] a transaction with this id is already running on this channel")).ConfigureAwait(false);
                return;
            }

            var run = Task.Run(() => ExecuteAsync(message, context));
            _running.TryAdd(run, 0);
            _ = run.ContinueWith(finished => _running.TryRemove(finished, out _), TaskScheduler.Default);
        }

        private async Task ExecuteAsync(ChaincodeMessage message, TransactionContext context)
        {
            ChaincodeMessage answer;
            try
            {
                answer = await RunChaincodeAsync(message, context).ConfigureAwait(false);
            }
            finally
            {
                _inFlight.TryRemove((message.ChannelId, message.Txid), out _);
            }

            try
            {
                await SendAsync(answer, closed).ConfigureAwait(false);
            }
            catch (Exception e) when (closed.IsCancellationRequested || e is OperationCanceledException or IOException or InvalidOperationException)
            {
                owner._logger.LogWarning("Could not send {Type} of [{Channel}-{TxId}]: the stream closed", answer.Type, Printable.Of(message.ChannelId), Short(message.Txid));
            }
        }

        private async Task<ChaincodeMessage> RunChaincodeAsync(ChaincodeMessage message, TransactionContext context)
        {
            ChaincodeStub stub;
            try
            {
                var input = ChaincodeInput.Parser.ParseFrom(message.Payload);
                stub = new ChaincodeStub(context, input, message.Proposal);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException or ArgumentException)
            {
                return ErrorFor(message, $"[{message.ChannelId}-{message.Txid}] cannot start the transaction: {e.Message}");
            }

            var response = await InvokeChaincodeAsync(message.Type == MessageType.Init, stub).ConfigureAwait(false);
            var completed = new ChaincodeMessage
            {
                Type = MessageType.Completed,
                Payload = new Response { Status = response.Status, Message = response.Message ?? "", Payload = ByteString.CopyFrom(response.Payload ?? []) }.ToByteString(),
                Txid = message.Txid,
                ChannelId = message.ChannelId,
            };
            if (stub.Event is { } chaincodeEvent)
                completed.ChaincodeEvent = chaincodeEvent;
            return completed;
        }

        private async Task<ChaincodeResponse> InvokeChaincodeAsync(bool isInit, ChaincodeStub stub)
        {
            try
            {
                var response = isInit
                    ? await owner._chaincode.InitAsync(stub).ConfigureAwait(false)
                    : await owner._chaincode.InvokeAsync(stub).ConfigureAwait(false);
                return response ?? ChaincodeResponse.Error($"Chaincode {(isInit ? "Init" : "Invoke")} returned no response.");
            }
            catch (Exception e)
            {
                // Last line of defence: the contract layer normally turns exceptions into responses itself.
                owner._logger.LogError("Chaincode threw {Exception} in [{Channel}-{TxId}]", e.GetType().Name, Printable.Of(stub.ChannelId), Short(stub.TxId));
                return ChaincodeResponse.Error(e.Message);
            }
        }

        /// <summary>Waits for every running transaction after the stream closed (their requests fail fast).</summary>
        public async Task DrainAsync()
        {
            try
            {
                await Task.WhenAll(_running.Keys).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                owner._logger.LogWarning("A transaction ended with {Exception} after the stream closed", e.GetType().Name);
            }
        }

        private ChaincodeMessage OutOfTurn(ChaincodeMessage message) => ErrorFor(message,
            $"[{message.ChannelId}-{message.Txid}] Chaincode handler cannot handle message ({message.Type}) with payload size ({message.Payload.Length}) while in state: {_state}");

        private static ChaincodeMessage ErrorFor(ChaincodeMessage message, string text) => new()
        {
            Type = MessageType.Error,
            Payload = ByteString.CopyFromUtf8(text),
            Txid = message.Txid,
            ChannelId = message.ChannelId,
        };

        private static string Short(string txId) => Printable.Of(txId.Length > 8 ? txId[..8] : txId);
    }
}
