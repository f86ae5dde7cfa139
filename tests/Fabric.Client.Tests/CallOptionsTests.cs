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

    private static TimeSpan DeadlineOf(FakeGateway fake, string method, DateTime before) =>
        fake.Calls.Single(c => c.Method == method).Options.Deadline!.Value - before;

    [Fact]
    public async Task Default_deadlines_match_fabric_gateway()
    {
        var (gateway, fake) = Connect();
        var contract = gateway.GetNetwork("mychannel").GetContract("kvcc");
        var before = DateTime.UtcNow;
        await contract.EvaluateTransactionAsync("get", "asset2");
        await contract.SubmitTransactionAsync("put", "asset1", "v1");

        Assert.InRange(DeadlineOf(fake, "Evaluate", before), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        Assert.InRange(DeadlineOf(fake, "Endorse", before), TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(16));
        Assert.InRange(DeadlineOf(fake, "Submit", before), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        Assert.InRange(DeadlineOf(fake, "CommitStatus", before), TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task Options_and_per_call_timeouts_override_the_defaults()
    {
        var (gateway, fake) = Connect(new GatewayOptions { EndorseTimeout = TimeSpan.FromSeconds(40) });
        var contract = gateway.GetNetwork("mychannel").GetContract("kvcc");
        var before = DateTime.UtcNow;
        await contract.NewProposal("get").EvaluateAsync(TimeSpan.FromMilliseconds(750));
        await contract.NewProposal("put").EndorseAsync();

        Assert.InRange(DeadlineOf(fake, "Evaluate", before), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000));
        Assert.InRange(DeadlineOf(fake, "Endorse", before), TimeSpan.FromSeconds(39), TimeSpan.FromSeconds(41));
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
