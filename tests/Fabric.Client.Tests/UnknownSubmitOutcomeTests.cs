namespace Fabric.Client.Tests;

public sealed class UnknownSubmitOutcomeTests
{
    [Fact]
    public async Task A_transaction_found_in_a_block_is_not_sent_again()
    {
        var sends = 0;
        var waits = new List<TimeSpan>();

        var status = await UnknownSubmitOutcome.CheckThenResendAsync(
            (wait, _) => { waits.Add(wait); return Task.FromResult<string?>("VALID in block 7"); },
            _ => { sends++; return Task.CompletedTask; },
            TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.Equal("VALID in block 7", status);
        Assert.Equal(0, sends);
        Assert.Equal([TimeSpan.FromSeconds(3)], waits);
    }

    [Fact]
    public async Task A_transaction_in_no_block_within_the_wait_is_sent_again_once()
    {
        var order = new List<string>();

        var status = await UnknownSubmitOutcome.CheckThenResendAsync(
            (_, _) => { order.Add("status"); return Task.FromResult<string?>(null); },
            _ => { order.Add("send"); return Task.CompletedTask; },
            TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Null(status);
        Assert.Equal(["status", "send"], order);
    }
}
