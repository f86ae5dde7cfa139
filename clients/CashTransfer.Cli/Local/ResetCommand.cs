using System.CommandLine;
using Fabric.Network.Hosting;

namespace CashTransfer.Cli.Local;

/// <summary><c>cashtransfer reset</c>: deletes the local network's ledger and crypto material.</summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory to reset.", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var command = new Command("reset", "Delete the local network's ledger and crypto material.") { data };
        command.SetAction(parse =>
        {
            var directory = Path.Combine(parse.GetValue(data)!.FullName, "network");
            EmbeddedNetwork.Reset(directory);
            Console.WriteLine($"Reset {directory}.");
            return 0;
        });
        return command;
    }
}
