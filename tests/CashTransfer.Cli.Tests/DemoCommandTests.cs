using CashTransfer.Cli.Demo;
using Spectre.Console;

namespace CashTransfer.Cli.Tests;

/// <summary>
/// <c>cashtransfer demo</c> on a data directory where nothing is running: it starts chaincode, embedded network and
/// gateway in-process, seeds them, drives six terminals (three online, three offline then syncing, a repeated upload
/// and an overspend), checks every invariant, and stops the stack.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cashtransfer-demo-").FullName;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });

    [Fact]
    public async Task Demo_starts_its_own_stack_when_none_is_running_and_every_invariant_holds()
    {
        var run = await DemoCommand.RunAsync(_data, new Uri("http://127.0.0.1:0/"), _console, CancellationToken.None);

        Assert.All(run.Invariants, i => Assert.True(i.Passed, $"{i.Name}: {i.Detail}"));
        Assert.All(run.Expectations, e => Assert.True(e.Passed, $"{e.Name}: {e.Detail}"));
        Assert.True(run.Passed);
        Assert.Equal(48, run.Receipts);
        var receipts = Assert.Single(run.Invariants, i => i.Name.StartsWith("every receipt", StringComparison.Ordinal));
        Assert.Contains("48 receipts of 6 terminals: 47 committed, 1 rejected", receipts.Detail);
        // The stack it started is stopped again: nothing answers at the URL it recorded.
        var agency = DemoAgency.TryLoad(_data)!;
        Assert.False(await CashTransfer.Api.Client.CashTransferClient.IsServingAsync(new Uri(agency.GatewayUrl!), CancellationToken.None));
        Assert.Single(agency.Settlements);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
