using Gateway;

namespace Fabric.Client.Tests;

/// <summary>Per-call-kind default deadlines, per-call overrides, and cancellation reaching the transport.</summary>
public class CallOptionsTests
{
    private static (Gateway, FakeGateway) Connect(GatewayOptions? options = null)
    {
        var fake = new FakeGateway()
            .OnUnary("Evaluate", _ => Vectors.Parse(EvaluateResponse.Parser, "15-get/01-evaluate-response.bin"))
            .OnUnary("Endorse", _ => Vectors.Parse(EndorseResponse.Parser, "01-put-v1/01-endorse-response.bin"))
            .OnUnary("Submit", _ => new SubmitResponse())
            .OnUnary("CommitStatus", _ => Vectors.Parse(CommitStatusResponse.Parser, "01-put-v1/03-commitstatus-response.bin"));
        return (Gateway.Connect(fake, Vectors.UserIdentity(), Vectors.UserSigner(), options), fake);
    }

    /// <summary>The time a call was given: its deadline less the moment it reached the fake (a little under the timeout).</summary>
    private static TimeSpan DeadlineOf(FakeGateway fake, string method)
    {
        var call = fake.Calls.Single(c => c.Method == method);
        return call.Options.Deadline!.Value - call.At;
    }

    private static void AssertTimeout(TimeSpan expected, TimeSpan given) =>
        Assert.InRange(given, expected - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, expected.Ticks / 2)), expected + TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task Default_deadlines_match_fabric_gateway()
    {
        var (gateway, fake) = Connect();
        var contract = gateway.GetNetwork("mychannel").GetContract("kvcc");
        await contract.EvaluateTransactionAsync("get", "asset2");
        await contract.SubmitTransactionAsync("put", "asset1", "v1");

        AssertTimeout(TimeSpan.FromSeconds(5), DeadlineOf(fake, "Evaluate"));
        AssertTimeout(TimeSpan.FromSeconds(15), DeadlineOf(fake, "Endorse"));
        AssertTimeout(TimeSpan.FromSeconds(5), DeadlineOf(fake, "Submit"));
        AssertTimeout(TimeSpan.FromSeconds(60), DeadlineOf(fake, "CommitStatus"));
    }

    [Fact]
    public async Task Options_and_per_call_timeouts_override_the_defaults()
    {
        var (gateway, fake) = Connect(new GatewayOptions { EndorseTimeout = TimeSpan.FromSeconds(40) });
        var contract = gateway.GetNetwork("mychannel").GetContract("kvcc");
        await contract.NewProposal("get").EvaluateAsync(TimeSpan.FromMilliseconds(750));
        await contract.NewProposal("put").EndorseAsync();

        AssertTimeout(TimeSpan.FromMilliseconds(750), DeadlineOf(fake, "Evaluate"));
        AssertTimeout(TimeSpan.FromSeconds(40), DeadlineOf(fake, "Endorse"));
    }

    [Fact]
    public async Task Cancellation_token_reaches_the_call()
    {
        var (gateway, fake) = Connect();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            gateway.GetNetwork("mychannel").GetContract("kvcc").EvaluateAsync("get", cancellationToken: cts.Token));
        Assert.True(fake.Calls.Single().Options.CancellationToken.IsCancellationRequested);
    }
}
