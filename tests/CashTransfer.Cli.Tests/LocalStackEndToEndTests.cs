using CashTransfer.Chaincode.Domain;
using CashTransfer.Cli.Local;
using Spectre.Console;

namespace CashTransfer.Cli.Tests;

/// <summary>
/// The main job end to end: the CashTransfer chaincode served over the chaincode protocol, an embedded network of
/// three agencies endorsing by majority, and our Fabric Gateway client, all through real gRPC on loopback.
/// </summary>
public sealed class LocalStackEndToEndTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("cashtransfer-up-").FullName;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });

    [Fact]
    public async Task Demo_commits_redemptions_records_the_overspend_and_keeps_the_ledger_balanced()
    {
        await using var stack = await LocalStack.StartAsync(_data, _console);
        var summary = await new DemoScenario(stack, _console).RunAsync(beneficiaryCount: 12, CancellationToken.None);

        Assert.Equal(12, summary.Accepted);
        Assert.Equal(1, summary.Rejected);                       // the overspend, recorded with its reason
        Assert.Equal(1, summary.RepeatsReturningFirstOutcome);   // the repeated receipt changed nothing
        Assert.True(summary.InvariantsHold);
        Assert.Equal(summary.AcceptedMinor, summary.PayableMinor);
        Assert.All(summary.Programmes, p => Assert.Equal(12, p.Entitlements));
    }

    [Fact]
    public async Task A_restarted_network_keeps_its_ledger_and_serves_again()
    {
        ulong heightBefore;
        await using (var first = await LocalStack.StartAsync(_data, _console))
        {
            await new DemoScenario(first, _console).RunAsync(beneficiaryCount: 4, CancellationToken.None);
            heightBefore = first.Network.Ledger.Height;
        }
        await using var second = await LocalStack.StartAsync(_data, _console);
        Assert.Equal(heightBefore, second.Network.Ledger.Height);
        var summary = await new DemoScenario(second, _console).RunAsync(beneficiaryCount: 4, CancellationToken.None);
        Assert.True(summary.InvariantsHold);
        Assert.True(second.Network.Ledger.Height > heightBefore);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }
}
