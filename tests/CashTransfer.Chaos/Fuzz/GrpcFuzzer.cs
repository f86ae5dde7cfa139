using System.Net.Security;
using Grpc.Core;
using Grpc.Net.Client;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Sends mutated protobuf messages, as raw bytes, through the official Grpc.Net.Client: a <c>Method&lt;byte[], byte[]&gt;</c>
/// with pass-through marshallers, so the fuzzer depends on no transport of this repository. Unary calls for the
/// Gateway service, a server stream for ChaincodeEvents, bidirectional streams of several messages for Deliver and for
/// the chaincode server's Connect. Each message sent is counted with the call's status. Internal and Unknown are the
/// gRPC form of an unhandled server error and are findings.
/// </summary>
public sealed class GrpcFuzzer : IDisposable
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private readonly GrpcChannel _peer;
    private readonly GrpcChannel _chaincode;
    private readonly GrpcSeeds _seeds;
    private readonly FuzzTally _tally;
    private readonly int _seed;

    public GrpcFuzzer(Uri peer, Uri chaincode, GrpcSeeds seeds, FuzzTally tally, int seed)
    {
        _peer = Channel(peer);
        _chaincode = Channel(chaincode);
        _seeds = seeds;
        _tally = tally;
        _seed = seed;
    }

    private static GrpcChannel Channel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // The fuzzer attacks the peer; it does not check who the peer is.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            EnableMultipleHttp2Connections = true,
        },
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        MaxSendMessageSize = null,
    });

    private static Method<byte[], byte[]> Method(MethodType type, string service, string name) => new(type, service, name, Raw, Raw);

    /// <summary>Sends <paramref name="messages"/> mutated messages spread over the targets, <paramref name="concurrency"/> at a time.</summary>
    /// <param name="budget">When set, each target stops at its share of it even short of its count.</param>
    public async Task RunAsync(long messages, int concurrency, TimeSpan? budget, CancellationToken runCt)
    {
        // Shares of the budget: the Gateway's unary methods, ChaincodeEvents, Deliver, and the chaincode server.
        var plan = new (string Target, double Share, Func<Random, ProtoMutator, CancellationToken, Task<int>> Send)[]
        {
            ("gateway.Endorse", 0.18, (r, m, ct) => UnaryAsync("Endorse", r, m, ct)),
            ("gateway.Evaluate", 0.14, (r, m, ct) => UnaryAsync("Evaluate", r, m, ct)),
            ("gateway.Submit", 0.14, (r, m, ct) => UnaryAsync("Submit", r, m, ct)),
            ("gateway.CommitStatus", 0.12, (r, m, ct) => UnaryAsync("CommitStatus", r, m, ct)),
            ("gateway.ChaincodeEvents", 0.04, (r, m, ct) => ChaincodeEventsAsync(r, m, ct)),
            ("deliver", 0.14, (r, m, ct) => DeliverAsync(r, m, ct)),
            ("chaincode.Connect", 0.24, (r, m, ct) => ConnectAsync(r, m, ct)),
        };
        foreach (var (target, share, _) in plan)
        {
            var count = (long)(messages * share);
            long sent = 0;
            using var phase = CancellationTokenSource.CreateLinkedTokenSource(runCt);
            if (budget is { } total) phase.CancelAfter(total * share);
            var ct = phase.Token;
            var send = plan.Single(p => p.Target == target).Send;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
            {
                var random = new Random(HashCode.Combine(_seed, target, worker));
                var mutator = new ProtoMutator(random);
                while (Interlocked.Read(ref sent) < count && !ct.IsCancellationRequested)
                {
                    try
                    {
                        Interlocked.Add(ref sent, await send(random, mutator, ct));
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
                    catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException)
                    {
                        // The server closed the connection under a call (broken pipe, reset): a refusal, counted, and the run goes on.
                        _tally.Count(target, "connection closed by the server");
                        _tally.Example($"{target}: connection closed by the server", e.Message);
                        Interlocked.Increment(ref sent);
                    }
                }
            }));
        }
    }

    private async Task<int> UnaryAsync(string name, Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var seeds = _seeds.ByMethod[name];
        var (bytes, kind) = mutator.Mutate(seeds[random.Next(seeds.Count)]);
        var target = $"gateway.{name}";
        try
        {
            await _peer.CreateCallInvoker().AsyncUnaryCall(Method(MethodType.Unary, "gateway.Gateway", name), null, Options(TimeSpan.FromSeconds(20), ct), bytes);
            _tally.Count(target, "OK");
        }
        catch (RpcException e) { Record(target, kind, bytes, e); }
        return 1;
    }

    private async Task<int> ChaincodeEventsAsync(Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var seeds = _seeds.ByMethod["ChaincodeEvents"];
        var (bytes, kind) = mutator.Mutate(seeds[random.Next(seeds.Count)]);
        const string target = "gateway.ChaincodeEvents";
        try
        {
            // A valid request streams until cancelled: read what comes for a moment, then hang up.
            using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var call = _peer.CreateCallInvoker().AsyncServerStreamingCall(Method(MethodType.ServerStreaming, "gateway.Gateway", "ChaincodeEvents"), null,
                Options(TimeSpan.FromSeconds(10), hangUp.Token), bytes);
            var reading = Task.Run(async () => { while (await call.ResponseStream.MoveNext(hangUp.Token)) { } }, ct);
            if (await Task.WhenAny(reading, Task.Delay(300, ct)) != reading)
            {
                await hangUp.CancelAsync();
                try { await reading; } catch (RpcException) { } catch (OperationCanceledException) { }
                _tally.Count(target, "kept open, fuzzer hung up");
                return 1;
            }
            await reading;
            _tally.Count(target, "OK");
        }
        catch (RpcException e) { Record(target, kind, bytes, e); }
        return 1;
    }

    private Task<int> DeliverAsync(Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var seeds = _seeds.ByMethod["Deliver"];
        var messages = Enumerable.Range(0, random.Next(1, 9)).Select(_ => mutator.Mutate(seeds[random.Next(seeds.Count)])).ToList();
        var method = random.Next(3) switch { 0 => "Deliver", 1 => "DeliverFiltered", _ => "DeliverWithPrivateData" };
        return DuplexAsync(_peer, Method(MethodType.DuplexStreaming, "protos.Deliver", method), "deliver", messages, ct);
    }

    /// <summary>A conversation as a peer would hold it: the handshake and a transaction, each message mutated or not.</summary>
    private Task<int> ConnectAsync(Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var conversation = _seeds.ChaincodeConversations.Count > 0 && random.Next(2) == 0
            ? _seeds.ChaincodeConversations[random.Next(_seeds.ChaincodeConversations.Count)]
            : [.. (_seeds.ChaincodeConversations.FirstOrDefault() ?? []).Take(2), .. _seeds.ByMethod["ChaincodeTransaction"].OrderBy(_ => random.Next()).Take(1)];
        var messages = conversation.Select(m => random.Next(2) == 0 ? mutator.Mutate(m) : (m, "unmutated")).ToList();
        if (messages.All(m => m.Item2 == "unmutated")) messages[random.Next(messages.Count)] = mutator.Mutate(conversation[random.Next(conversation.Count)]);
        return DuplexAsync(_chaincode, Method(MethodType.DuplexStreaming, "protos.Chaincode", "Connect"), "chaincode.Connect", messages, ct);
    }

    private async Task<int> DuplexAsync(GrpcChannel channel, Method<byte[], byte[]> method, string target, List<(byte[] Bytes, string Kind)> messages, CancellationToken ct)
    {
        var sent = 0;
        try
        {
            using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, Options(TimeSpan.FromSeconds(10), hangUp.Token));
            var reading = Task.Run(async () => { while (await call.ResponseStream.MoveNext(hangUp.Token)) { } }, ct);
            foreach (var (bytes, _) in messages)
            {
                if (reading.IsCompleted) break;
                await call.RequestStream.WriteAsync(bytes, ct);
                sent++;
            }
            if (!reading.IsCompleted) await call.RequestStream.CompleteAsync();
            // A stream the server keeps open (Deliver waiting for blocks, a chaincode waiting for the next message) is the
            // server's right: give it a moment to answer, then hang up.
            if (await Task.WhenAny(reading, Task.Delay(300, ct)) != reading)
            {
                await hangUp.CancelAsync();
                try { await reading; } catch (RpcException) { } catch (OperationCanceledException) { }
                _tally.Count(target, "kept open, fuzzer hung up", Math.Max(sent, 1));
                return Math.Max(sent, 1);
            }
            await reading;
            _tally.Count(target, "OK", Math.Max(sent, 1));
        }
        catch (RpcException e)
        {
            var last = messages[Math.Min(sent, messages.Count - 1)];
            Record(target, last.Kind, last.Bytes, e, Math.Max(sent, 1));
        }
        catch (InvalidOperationException) when (!ct.IsCancellationRequested)
        {
            // The server ended the call while we were still writing: the stream is closed, which is a refusal.
            _tally.Count(target, "closed by the server", Math.Max(sent, 1));
        }
        return Math.Max(sent, 1);
    }

    private void Record(string target, string kind, byte[] bytes, RpcException e, int sent = 1)
    {
        // A deadline on a stream that the server keeps open (Deliver, events, a waiting chaincode) is the fuzzer hanging up.
        var outcome = e.StatusCode.ToString();
        // An unparseable message is answered Internal by gRPC itself (grpc-go: "error unmarshalling request", as a Fabric peer does).
        if (e.StatusCode == StatusCode.Internal && IsUnparseable(e.Status.Detail)) outcome = "Internal (unparseable message)";
        _tally.Count(target, outcome, sent);
        if (outcome is "Internal" or "Unknown")
            _tally.Example($"{target}: {e.StatusCode}", $"mutation {kind}, {bytes.Length} bytes, first bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(32, bytes.Length)))}: {e.Status.Detail}");
    }

    private static bool IsUnparseable(string detail) =>
        detail.Contains("unmarshal", StringComparison.OrdinalIgnoreCase) || detail.Contains("parse", StringComparison.OrdinalIgnoreCase) || detail.Contains("deserializ", StringComparison.OrdinalIgnoreCase);

    private static CallOptions Options(TimeSpan deadline, CancellationToken ct) => new(deadline: DateTime.UtcNow + deadline, cancellationToken: ct);

    public void Dispose()
    {
        _peer.Dispose();
        _chaincode.Dispose();
    }
}
