using System.CommandLine;
using CashTransfer.Cli.Demo;
using Fabric.Network.Hosting;

namespace CashTransfer.Cli.Local;

/// <summary><c>cashtransfer reset</c>: deletes the local network's ledger and crypto material, and the gateway and demo data that describe it.</summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory to reset.", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var command = new Command("reset", "Delete the local network's ledger and crypto material, the gateway's database and the demo agency set.") { data };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(data)!.FullName;
            var directory = Path.Combine(root, "network");
            EmbeddedNetwork.Reset(directory);
            Console.WriteLine($"Reset {directory}.");
            // The gateway's outbox and read models and the demo's journals describe that ledger: they go with it.
            foreach (var dependent in new[] { Path.Combine(root, "gateway"), DemoAgency.DirectoryOf(root) }.Where(Directory.Exists))
            {
                Directory.Delete(dependent, recursive: true);
                Console.WriteLine($"Deleted {dependent}.");
            }
            return 0;
        });
        return command;
    }
}
