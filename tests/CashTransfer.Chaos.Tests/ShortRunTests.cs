using CashTransfer.Chaos.Chaos;
using CashTransfer.Chaos.Fuzz;
using CashTransfer.Chaos.Processes;
using Spectre.Console;
using Xunit.Abstractions;

namespace CashTransfer.Chaos.Tests;

/// <summary>
/// The short versions of `make chaos` and `make fuzz`: the real chaincode server, embedded network and gateway service
/// as separate processes, SIGKILLed and restarted; every child process is killed at the end, pass or fail.
/// </summary>
[Collection("process stack")]
public class ShortRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Short_fault_suite_loses_nothing_doubles_nothing_and_decides_every_acknowledged_receipt()
    {
        var (report, text) = await RunAsync("chaos", (data, console, ct) => new ChaosSuite(ChaosOptions.Short, data, console).RunAsync(ct), r => r.Print, r => r.Passed);
        Assert.True(report.Passed, text);
        Assert.Equal(ChaosOptions.Short.Rounds, report.Rounds.Count);
        Assert.Equal(ChaosOptions.Short.Receipts, report.Terminals.Sum(t => t.Committed));
    }

    [Fact]
    public async Task Short_fuzzing_finds_no_crash_no_unhandled_error_and_bounded_memory()
    {
        var (report, text) = await RunAsync("fuzz", (data, console, ct) => new FuzzSuite(FuzzOptions.Short, data, console).RunAsync(ct), r => r.Print, r => r.Passed);
        Assert.True(report.Passed, text);
        Assert.True(report.Phases[0].Tally.Sent >= FuzzOptions.Short.GrpcMessages);
        Assert.True(report.Phases[1].Tally.Sent >= FuzzOptions.Short.RestRequests);
    }

    private async Task<(T Report, string Text)> RunAsync<T>(string name, Func<string, IAnsiConsole, CancellationToken, Task<T>> run, Func<T, Action<IAnsiConsole>> print, Func<T, bool> passed)
    {
        var data = RunFolder.Create(name);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        T report;
        try
        {
            report = await run(data, console, timeout.Token);
            print(report)(console);
        }
        finally
        {
            ProcessRegistry.KillAll();
            output.WriteLine(writer.ToString());
        }
        if (passed(report)) Directory.Delete(data, recursive: true);
        else output.WriteLine($"Data and logs kept in {data}");
        return (report, writer.ToString());
    }
}
