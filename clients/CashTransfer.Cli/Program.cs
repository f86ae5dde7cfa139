using System.CommandLine;
using CashTransfer.Cli.Audit;
using CashTransfer.Cli.Demo;
using CashTransfer.Cli.Local;

var root = new RootCommand("cashtransfer: the CashTransfer ledger for humanitarian cash and voucher assistance.");
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(ResetCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ReconcileCommand.Create());
root.Subcommands.Add(JournalCommand.Create());
return await root.Parse(args).InvokeAsync();
