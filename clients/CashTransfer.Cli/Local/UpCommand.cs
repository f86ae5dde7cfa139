using System.CommandLine;
using System.Runtime.InteropServices;
using CashTransfer.Cli.Serving;
using Spectre.Console;

namespace CashTransfer.Cli.Local;

/// <summary>
/// <c>cashtransfer up</c>: the main job on the embedded default. Starts the CashTransfer chaincode, an embedded
/// three-agency Fabric network and the gateway service (seeded once with the demo agency set), runs the demo
/// scenario through the Fabric Gateway client, prints what it did and where everything listens, and keeps
/// serving until Ctrl+C or SIGTERM (or exits with <c>--once</c>).
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory (crypto material and ledger).", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var once = new Option<bool>("--once") { Description = "Exit after the demo instead of serving." };
        var beneficiaries = new Option<int>("--beneficiaries") { Description = "How many demo beneficiaries to issue entitlements to.", DefaultValueFactory = _ => 200 };
        var gatewayUrl = GatewayUrlOption.Create("Where the gateway service listens (http on loopback; port 0 picks a free one).", ServedStack.DefaultGatewayUrl);
        var command = new Command("up", "Start the embedded network with the CashTransfer chaincode and the gateway service, seed the demo agency set, and run the demo.") { data, once, beneficiaries, gatewayUrl };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = AnsiConsole.Console;
            await using var stack = await ServedStack.StartAsync(parse.GetValue(data)!.FullName, parse.GetValue(gatewayUrl)!, console, cancellationToken);
            var summary = await new DemoScenario(stack.Local, console).RunAsync(parse.GetValue(beneficiaries), cancellationToken);
            summary.Print(console);
            stack.Local.PrintEndpoints(console);
            stack.PrintGateway(console);
            var profiles = Profiles.DemoProfiles.Write(Profiles.ProfileStore.ForUser(), stack.Agency, stack.DataDirectory, stack.Gateway.BaseAddress);
            console.MarkupLine($"CLI profiles for the demo identities: [green]{string.Join(", ", profiles.Select(p => p.Name))}[/] " +
                               "(e.g. [grey]cashtransfer audit totals demo-wfp-food --profile unwomen-audit[/])");
            if (parse.GetValue(once)) return summary.InvariantsHold ? 0 : 1;
            console.MarkupLine("[grey]Serving; press Ctrl+C to stop.[/]");
            await UntilStoppedAsync(cancellationToken);
            console.MarkupLine("[grey]Stopping: the gateway service, then the peers, the ledger and the chaincode.[/]");
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
