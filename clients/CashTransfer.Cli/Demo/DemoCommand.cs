using System.CommandLine;
using CashTransfer.Cli.Serving;
using Spectre.Console;

namespace CashTransfer.Cli.Demo;

/// <summary>
/// <c>cashtransfer demo</c>: simulated POS terminals drive the gateway service through the POS SDK, then the ledger's
/// invariants are checked and each is reported PASS or FAIL (exit code 1 if any fails). Uses the service that
/// <c>cashtransfer up</c> is serving for this data directory; if none answers, starts the whole stack in this process
/// for the run and stops it afterwards.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory of the local stack.", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var url = GatewayUrlOption.Create($"Gateway service to drive (default: the one recorded in the data directory, else {ServedStack.DefaultGatewayUrl}).", null);
        var command = new Command("demo", "Drive the gateway with simulated POS terminals (online and offline) and check the ledger's invariants.") { data, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = AnsiConsole.Console;
            var run = await RunAsync(parse.GetValue(data)!.FullName, parse.GetValue(url), console, cancellationToken);
            return run.Passed ? 0 : 1;
        });
        return command;
    }

    /// <summary>Runs the demo against the recorded (or given) service, or against a stack started here for the run.</summary>
    public static async Task<DemoRun> RunAsync(string dataDirectory, Uri? gatewayUrl, IAnsiConsole console, CancellationToken ct)
    {
        var agency = DemoAgency.TryLoad(dataDirectory);
        var recorded = gatewayUrl ?? (agency?.GatewayUrl is { } u ? new Uri(u) : null);
        if (agency is { Seeded: true } && recorded is not null && await CashTransfer.Api.Client.CashTransferClient.IsServingAsync(recorded, ct))
        {
            console.MarkupLine($"Driving the gateway service at [blue]{recorded}[/] (started by [grey]cashtransfer up[/]).");
            var served = Report(await new PosSimulation(dataDirectory, recorded, agency, console).RunAsync(ct), console);
            return await ReconcileAsync(served, dataDirectory, recorded, console, ct);
        }
        console.MarkupLine("No gateway service answers for this data directory: starting the stack in this process for the run.");
        await using var stack = await ServedStack.StartAsync(dataDirectory, gatewayUrl ?? ServedStack.DefaultGatewayUrl, console, ct);
        var run = Report(await new PosSimulation(dataDirectory, stack.Gateway.BaseAddress, stack.Agency, console).RunAsync(ct), console);
        run = await ReconcileAsync(run, dataDirectory, stack.Gateway.BaseAddress, console, ct);
        console.MarkupLine("[grey]Stopping the stack started for the demo.[/]");
        return run;
    }

    /// <summary>The demo ends with an auditor's reconciliation of its own run (clean), then one with a planted payment difference.</summary>
    private static async Task<DemoRun> ReconcileAsync(DemoRun run, string dataDirectory, Uri gateway, IAnsiConsole console, CancellationToken ct)
    {
        var outcome = await Audit.DemoReconciliation.RunAsync(dataDirectory, gateway, DemoAgency.TryLoad(dataDirectory)!, console, ct);
        var result = new InvariantResult("reconciliation: clean run needs no action, planted payment difference is found", outcome.Passed,
            $"exit codes {outcome.CleanExit} and {outcome.PlantedExit}; reports {outcome.CleanReport} and {outcome.PlantedReport}");
        console.MarkupLine(result.Passed ? $"[green]PASS[/] {Markup.Escape(result.Name)}" : $"[red]FAIL[/] {Markup.Escape(result.Name)} ({Markup.Escape(result.Detail)})");
        return run with { Expectations = [.. run.Expectations, result] };
    }

    private static DemoRun Report(DemoRun run, IAnsiConsole console)
    {
        var table = new Table().Title($"Demo run {run.RunId}: {run.Receipts} receipts").AddColumns("check", "result", "figures");
        foreach (var (kind, results) in new[] { ("invariant", run.Invariants), ("scenario", run.Expectations) })
            foreach (var r in results)
                table.AddRow($"{kind}: {Markup.Escape(r.Name)}", r.Passed ? "[green]PASS[/]" : "[red]FAIL[/]", Markup.Escape(r.Detail));
        console.Write(table);
        console.MarkupLine(run.Passed ? "[green]All invariants hold.[/]" : "[red]An invariant or expectation FAILED (see above).[/]");
        return run;
    }
}
