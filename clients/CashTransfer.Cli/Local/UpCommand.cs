using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;

namespace CashTransfer.Cli.Local;

/// <summary>
/// <c>cashtransfer up</c>: the main job on the embedded default. Starts the CashTransfer chaincode and an
/// embedded three-agency Fabric network, runs the demo scenario through the Fabric Gateway client, prints
/// what it did and where the peers listen, and keeps serving until Ctrl+C (or exits with <c>--once</c>).
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory (crypto material and ledger).", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var once = new Option<bool>("--once") { Description = "Exit after the demo instead of serving." };
        var beneficiaries = new Option<int>("--beneficiaries") { Description = "How many demo beneficiaries to issue entitlements to.", DefaultValueFactory = _ => 200 };
        var command = new Command("up", "Start the embedded network with the CashTransfer chaincode and run the demo.") { data, once, beneficiaries };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = AnsiConsole.Console;
            await using var stack = await LocalStack.StartAsync(parse.GetValue(data)!.FullName, console);
            var summary = await new DemoScenario(stack, console).RunAsync(parse.GetValue(beneficiaries), cancellationToken);
            summary.Print(console);
            stack.PrintEndpoints(console);
            if (parse.GetValue(once)) return summary.InvariantsHold ? 0 : 1;
            console.MarkupLine("[grey]Serving; press Ctrl+C to stop.[/]");
            await UntilStoppedAsync(cancellationToken);
            console.MarkupLine("[grey]Stopping: closing the peers, the ledger and the chaincode.[/]");
            return 0;
        });
        return command;
    }

    /// <summary>Waits for Ctrl+C or SIGTERM (a service manager's stop), then lets the stack shut down in order.</summary>
    private static async Task UntilStoppedAsync(CancellationToken cancellationToken)
    {
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // we stop ourselves, after disposing the stack
            stopped.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try { await Task.Delay(Timeout.Infinite, stopped.Token); }
        catch (OperationCanceledException) { }
    }
}
