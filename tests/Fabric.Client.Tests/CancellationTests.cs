using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Server;
using Gateway;
using Polly;

namespace Fabric.Client.Tests;

/// <summary>
/// The caller's CancellationToken at every step (evaluate, endorse, submit, commit status, chaincode events, blocks),
/// over the real transport: cancelled before the call or while the server holds it, the caller gets an
/// OperationCanceledException carrying its own token, never a GatewayException; a deadline still gets the typed
/// exception with DEADLINE_EXCEEDED; and no resilience pipeline retries the caller's cancellation.
/// </summary>
[Collection(SerialCollection.Name)]
public class CancellationTests
{
    public static TheoryData<string> Steps => new() { "Evaluate", "Endorse", "Submit", "CommitStatus", "ChaincodeEvents", "Deliver" };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_token_cancelled_before_the_step_throws_OperationCanceledException_with_that_token_and_sends_nothing(string step)
    {
        await using var server = await ScriptedGatewayServer.StartAsync(Answering(step, _ => Task.CompletedTask));
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(step, gateway, cancel.Token).WaitAsync(Patience));

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.DoesNotContain(step, server.MethodNames);
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_token_cancelled_while_the_server_holds_the_step_throws_OperationCanceledException_with_that_token(string step)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedGatewayServer.StartAsync(Answering(step, async context =>
        {
            held.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }));
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), Retrying());
        using var cancel = new CancellationTokenSource();

        var call = RunAsync(step, gateway, cancel.Token);
        await held.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Equal(1, server.MethodNames.Count(m => m == step));   // the retry pipeline did not repeat it
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_deadline_during_the_step_is_still_the_typed_exception_with_DEADLINE_EXCEEDED(string step)
    {
        await using var server = await ScriptedGatewayServer.StartAsync(Answering(step, context => Task.Delay(Timeout.Infinite, context.CancellationToken)));
        var deadline = TimeSpan.FromMilliseconds(300);
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), new GatewayOptions
        {
            EvaluateTimeout = deadline, EndorseTimeout = deadline, SubmitTimeout = deadline, CommitStatusTimeout = deadline, EventsTimeout = deadline,
        });
        using var cancel = new CancellationTokenSource();

        var e = await Assert.ThrowsAnyAsync<GatewayException>(() => RunAsync(step, gateway, cancel.Token).WaitAsync(Patience));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(ExpectedExceptionType(step), e.GetType());
    }

    [Fact]
    public async Task CANCELLED_sent_by_the_server_while_the_token_is_intact_is_a_GatewayException()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Evaluate = (_, _) => throw RpcErrors.Create(StatusCode.Cancelled, "peer gave up") });
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner());
        using var cancel = new CancellationTokenSource();

        var e = await Assert.ThrowsAsync<GatewayException>(() => gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateAsync("get", cancellationToken: cancel.Token));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
    }

    [Fact]
    public async Task A_token_cancelled_while_a_transient_failure_waits_for_its_retry_ends_the_call_with_that_token()
    {
        await using var server = await ScriptedGatewayServer.StartAsync(new() { Evaluate = (_, _) => throw RpcErrors.Create(StatusCode.Unavailable, "peer busy") });
        var backoff = new BackoffSignal();
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), new GatewayOptions
        {
            Resilience = new GatewayResilienceOptions { IdempotentCalls = GatewayResilience.TransientRetry(baseDelay: TimeSpan.FromSeconds(5), timeProvider: backoff) },
        });
        using var cancel = new CancellationTokenSource();

        var call = gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateAsync("get", cancellationToken: cancel.Token);
        await backoff.Started.WaitAsync(Patience);   // the first attempt failed UNAVAILABLE; the retry waits 5 s
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Single(server.MethodNames);
    }

    /// <summary>The system clock, telling when the retry pipeline starts waiting before its next attempt.</summary>
    private sealed class BackoffSignal : TimeProvider
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = System.CreateTimer(callback, state, dueTime, period);
            _started.TrySetResult();
            return timer;
        }
    }

    [Fact]
    public async Task Under_a_pipeline_that_links_its_own_token_the_exception_still_carries_the_callers_token()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedGatewayServer.StartAsync(new()
        {
            Evaluate = async (_, context) =>
            {
                held.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new EvaluateResponse();
            },
        });
        // Polly's timeout strategy hands the call a token linked to the caller's.
        var gateway = Gateway.Connect(server.Channel, Vectors.UserIdentity(), Vectors.UserSigner(), new GatewayOptions
        {
            Resilience = new GatewayResilienceOptions { IdempotentCalls = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromMinutes(1)).Build() },
        });
        using var cancel = new CancellationTokenSource();

        var call = gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateAsync("get", cancellationToken: cancel.Token);
        await held.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));

        Assert.Equal(cancel.Token, e.CancellationToken);
    }

    private static GatewayOptions Retrying() => new()
    {
        Resilience = new GatewayResilienceOptions { IdempotentCalls = GatewayResilience.TransientRetry(baseDelay: TimeSpan.FromMilliseconds(5)) },
    };

    private static Type ExpectedExceptionType(string step) => step switch
    {
        "Endorse" => typeof(EndorseException),
        "Submit" => typeof(SubmitException),
        "CommitStatus" => typeof(CommitStatusException),
        _ => typeof(GatewayException),
    };

    /// <summary>
    /// Every step answered with recorded Fabric responses, except <paramref name="step"/>, which runs
    /// <paramref name="hold"/> first (streams then send nothing and stay open until the call ends).
    /// </summary>
    private static ScriptedGatewayServer.Script Answering(string step, Func<ServerCallContext, Task> hold)
    {
        async Task Before(string method, ServerCallContext context)
        {
            if (method == step) await hold(context);
        }

        return new ScriptedGatewayServer.Script
        {
            Evaluate = async (_, context) => { await Before("Evaluate", context); return Vectors.Parse(EvaluateResponse.Parser, "15-get/01-evaluate-response.bin"); },
            Endorse = async (_, context) => { await Before("Endorse", context); return Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"); },
            Submit = async (_, context) => { await Before("Submit", context); return new SubmitResponse(); },
            CommitStatus = async (_, context) => { await Before("CommitStatus", context); return Vectors.Parse(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin"); },
            ChaincodeEvents = async (_, _, context) => { await Before("ChaincodeEvents", context); await Task.Delay(Timeout.Infinite, context.CancellationToken); },
            Deliver = async (_, _, context) => { await Before("Deliver", context); await Task.Delay(Timeout.Infinite, context.CancellationToken); },
        };
    }

    /// <summary>Runs the steps up to <paramref name="step"/> without a token, then <paramref name="step"/> with <paramref name="token"/>.</summary>
    private static async Task RunAsync(string step, Gateway gateway, CancellationToken token)
    {
        var network = gateway.GetNetwork("mychannel");
        var contract = network.GetContract("kvcc");
        switch (step)
        {
            case "Evaluate":
                await contract.EvaluateAsync("get", new ProposalOptions().AddArguments("asset2"), cancellationToken: token);
                return;
            case "ChaincodeEvents":
                await foreach (var _ in network.GetChaincodeEventsAsync("kvcc", cancellationToken: token)) { }
                return;
            case "Deliver":
                await foreach (var _ in network.GetBlocksAsync(cancellationToken: token)) { }
                return;
        }
        var proposal = contract.NewProposal("put", new ProposalOptions().AddArguments("asset1", "v1"));
        if (step == "Endorse")
        {
            await proposal.EndorseAsync(cancellationToken: token);
            return;
        }
        var transaction = await proposal.EndorseAsync();
        if (step == "Submit")
        {
            await transaction.SubmitAsync(cancellationToken: token);
            return;
        }
        var submitted = await transaction.SubmitAsync();
        await submitted.GetStatusAsync(cancellationToken: token);
    }
}
