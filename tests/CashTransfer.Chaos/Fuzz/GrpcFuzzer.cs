using System.Collections.Concurrent;
using System.Net.Security;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Sends mutated protobuf messages, as raw bytes, through the official Grpc.Net.Client: a <c>Method&lt;byte[], byte[]&gt;</c>
/// with pass-through marshallers, so the fuzzer depends on no transport of this repository. Unary calls for the
/// Gateway service on one shared connection, a server stream for ChaincodeEvents, and conversations of several messages
/// on Deliver and on the chaincode server's Connect, each on a connection of its own (<see cref="DuplexConversation"/>).
/// All targets are fuzzed at once by the same workers, so that calls waiting on a stream overlap with calls using the CPU.
/// </summary>
public sealed class GrpcFuzzer : IDisposable
{
    /// <summary>
    /// Messages this large go on a connection of their own: a server refuses one over its size limit before reading it
    /// all, and the client's write in flight can then break the connection (see <see cref="DuplexConversation"/>).
    /// </summary>
    private const int OwnConnectionBytes = 1024 * 1024;
    private static readonly TimeSpan StreamWait = TimeSpan.FromMilliseconds(300);
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private readonly Uri _peerAddress;
    private readonly GrpcChannel _peer;
    private readonly GrpcSeeds _seeds;
    private readonly FuzzTally _tally;
    private readonly int _seed;
    private readonly DuplexTarget _deliver;
    private readonly DuplexTarget _connect;

    public GrpcFuzzer(Uri peer, Uri chaincode, GrpcSeeds seeds, FuzzTally tally, int seed)
    {
        _peerAddress = peer;
        _peer = Channel(peer);
        _seeds = seeds;
        _tally = tally;
        _seed = seed;
        _deliver = new DuplexTarget("deliver", peer, Method(MethodType.DuplexStreaming, "protos.Deliver", "Deliver"),
            bytes => Parsed(Protos.DeliverResponse.Parser, bytes)?.TypeCase == Protos.DeliverResponse.TypeOneofCase.Status);
        var probe = new Protos.ChaincodeMessage { Type = Protos.ChaincodeMessage.Types.Type.Keepalive, Txid = "fuzz-end-of-turn" };
        _connect = new DuplexTarget("chaincode.Connect", chaincode, Method(MethodType.DuplexStreaming, "protos.Chaincode", "Connect"),
            bytes => Parsed(Protos.ChaincodeMessage.Parser, bytes) is { Type: Protos.ChaincodeMessage.Types.Type.Keepalive, Txid: "fuzz-end-of-turn" }, probe.ToByteArray());
    }

    internal static GrpcChannel Channel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // The fuzzer attacks the peer; it does not check who the peer is.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            EnableMultipleHttp2Connections = true,
        },
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        MaxSendMessageSize = null,
        // Conversations each open a channel of their own: without this its handler, and so its connection, outlived it
        // (30,000 open connections after 70,000 messages, in the fuzzer and in the peer).
        DisposeHttpClient = true,
    });

    // One Method object per method: Grpc.Net.Client caches per-method data keyed by the object for the channel's
    // lifetime, so a new object per call grew the fuzzer to 2 GB within a minute and ended it "Out of memory."
    private static readonly ConcurrentDictionary<(MethodType, string, string), Method<byte[], byte[]>> Methods = new();

    private static Method<byte[], byte[]> Method(MethodType type, string service, string name) =>
        Methods.GetOrAdd((type, service, name), key => new(key.Item1, key.Item2, key.Item3, Raw, Raw));

    private static T? Parsed<T>(MessageParser<T> parser, byte[] bytes) where T : class, IMessage<T>
    {
        try { return parser.ParseFrom(bytes); }
        catch (Exception e) when (e is InvalidProtocolBufferException or IndexOutOfRangeException) { return null; }
    }

    /// <summary>Sends <paramref name="messages"/> mutated messages spread over the targets, <paramref name="concurrency"/> calls at a time.</summary>
    /// <param name="budget">When set, the run stops then even short of its count.</param>
    public async Task RunAsync(long messages, int concurrency, TimeSpan? budget, CancellationToken runCt)
    {
        // Shares of the count: the Gateway's unary methods, ChaincodeEvents, Deliver, and the chaincode server.
        var targets = new FuzzTarget[]
        {
            new("gateway.Endorse", messages * 0.18, (r, m, ct) => UnaryAsync("Endorse", r, m, ct)),
            new("gateway.Evaluate", messages * 0.14, (r, m, ct) => UnaryAsync("Evaluate", r, m, ct)),
            new("gateway.Submit", messages * 0.14, (r, m, ct) => UnaryAsync("Submit", r, m, ct)),
            new("gateway.CommitStatus", messages * 0.12, (r, m, ct) => UnaryAsync("CommitStatus", r, m, ct)),
            new("gateway.ChaincodeEvents", messages * 0.04, ChaincodeEventsAsync),
            new("deliver", messages * 0.14, DeliverAsync),
            new("chaincode.Connect", messages * 0.24, ConnectAsync),
        };
        using var run = CancellationTokenSource.CreateLinkedTokenSource(runCt);
        if (budget is { } total) run.CancelAfter(total);
        var ct = run.Token;
        var workers = Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var random = new Random(WorkerSeed.For(_seed, Fuzzer.Grpc, worker));
            var mutator = new ProtoMutator(random);
            while (!ct.IsCancellationRequested && FuzzTarget.Pick(targets, random) is { } target)
            {
                try
                {
                    target.Sent(await target.Send(random, mutator, ct));
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
                catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException)
                {
                    // The server closed the connection under a call (broken pipe, reset): a refusal, counted, and the run goes on.
                    _tally.Count(target.Name, "connection closed by the server");
                    _tally.Example($"{target.Name}: connection closed by the server", e.Message);
                    target.Sent(1);
                }
            }
        }));
        var stragglers = StragglersAsync(targets, ct);
        await Task.WhenAny(workers, stragglers);
        if (workers.IsCompleted || stragglers.IsCanceled)
        {
            await workers; // done, or the time budget ended the run and the workers stop at their next step
            await run.CancelAsync(); // ends the straggler watch
            return;
        }
        // Every message was out and a call had still not ended two minutes later, past every deadline the fuzzer set:
        // a finding (seen once at the end of a 10^6 run), and the run reports instead of waiting for ever.
        _tally.Note("fuzzer", StillOpen);
        await run.CancelAsync();
    }

    /// <summary>The outcome counted when calls outlive every deadline after the last message was sent.</summary>
    public const string StillOpen = "calls still open 2 minutes after the last message";

    private static async Task StragglersAsync(IReadOnlyList<FuzzTarget> targets, CancellationToken ct)
    {
        while (targets.Any(t => t.Remaining > 0)) await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await Task.Delay(TimeSpan.FromMinutes(2), ct);
    }

    private async Task<int> UnaryAsync(string name, Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var seeds = _seeds.ByMethod[name];
        var (bytes, kind) = mutator.Mutate(seeds[random.Next(seeds.Count)]);
        var target = $"gateway.{name}";
        using var own = bytes.Length >= OwnConnectionBytes ? Channel(_peerAddress) : null;
        try
        {
            await (own ?? _peer).CreateCallInvoker().AsyncUnaryCall(Method(MethodType.Unary, "gateway.Gateway", name), null, Options(TimeSpan.FromSeconds(20), ct), bytes);
            _tally.Count(target, "OK");
        }
        catch (RpcException e) { GrpcOutcome.Record(_tally, target, kind, bytes, e); }
        return 1;
    }

    private async Task<int> ChaincodeEventsAsync(Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var seeds = _seeds.ByMethod["ChaincodeEvents"];
        var (bytes, kind) = mutator.Mutate(seeds[random.Next(seeds.Count)]);
        const string target = "gateway.ChaincodeEvents";
        using var own = bytes.Length >= OwnConnectionBytes ? Channel(_peerAddress) : null;
        try
        {
            // A valid request streams until cancelled: read what comes for a moment, then hang up.
            using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var call = (own ?? _peer).CreateCallInvoker().AsyncServerStreamingCall(Method(MethodType.ServerStreaming, "gateway.Gateway", "ChaincodeEvents"), null,
                Options(TimeSpan.FromSeconds(10), hangUp.Token), bytes);
            var reading = Task.Run(async () => { while (await call.ResponseStream.MoveNext(hangUp.Token)) { } }, ct);
            if (await Task.WhenAny(reading, Task.Delay(StreamWait, ct)) != reading)
            {
                await hangUp.CancelAsync();
                try { await reading; } catch (RpcException) { } catch (OperationCanceledException) { }
                _tally.Count(target, "kept open, fuzzer hung up");
                return 1;
            }
            await reading;
            _tally.Count(target, "OK");
        }
        catch (RpcException e) { GrpcOutcome.Record(_tally, target, kind, bytes, e); }
        return 1;
    }

    /// <summary>Up to 16 seek requests on one stream, each mutated, as a client re-seeking on one Deliver stream.</summary>
    private Task<int> DeliverAsync(Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var seeds = _seeds.ByMethod["Deliver"];
        var messages = Enumerable.Range(0, random.Next(1, 17)).Select(_ => mutator.Mutate(seeds[random.Next(seeds.Count)])).ToList();
        var method = random.Next(3) switch { 0 => "Deliver", 1 => "DeliverFiltered", _ => "DeliverWithPrivateData" };
        return DuplexConversation.RunAsync(_deliver with { Method = Method(MethodType.DuplexStreaming, "protos.Deliver", method) }, messages, _tally, ct);
    }

    /// <summary>A conversation as a peer would hold it: the handshake and transactions, each message mutated or not.</summary>
    private Task<int> ConnectAsync(Random random, ProtoMutator mutator, CancellationToken ct)
    {
        var conversation = _seeds.ChaincodeConversations.Count > 0 && random.Next(2) == 0
            ? _seeds.ChaincodeConversations[random.Next(_seeds.ChaincodeConversations.Count)]
            : [.. (_seeds.ChaincodeConversations.FirstOrDefault() ?? []).Take(2), .. Enumerable.Range(0, random.Next(1, 9)).Select(_ => _seeds.ByMethod["ChaincodeTransaction"][random.Next(_seeds.ByMethod["ChaincodeTransaction"].Count)])];
        var messages = conversation.Select(m => random.Next(2) == 0 ? mutator.Mutate(m) : (m, "unmutated")).ToList();
        if (messages.All(m => m.Item2 == "unmutated")) messages[random.Next(messages.Count)] = mutator.Mutate(conversation[random.Next(conversation.Count)]);
        return DuplexConversation.RunAsync(_connect, messages, _tally, ct);
    }

    private static CallOptions Options(TimeSpan deadline, CancellationToken ct) => new(deadline: DateTime.UtcNow + deadline, cancellationToken: ct);

    public void Dispose() => _peer.Dispose();
}
