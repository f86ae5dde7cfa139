using System.CommandLine;
using CashTransfer.Cli.Audit;
using CashTransfer.Cli.Commands;
using CashTransfer.Cli.Demo;
using CashTransfer.Cli.Local;
using CashTransfer.Cli.Operator;
using CashTransfer.Cli.Profiles;

namespace CashTransfer.Cli;

/// <summary>
/// The <c>cashtransfer</c> command tree. Each group lives in its own file and exposes <c>Command Build(CliContext)</c>;
/// adding a command is one line here. Tests build the same tree over string writers.
/// </summary>
public static class CliApp
{
    public static RootCommand Build(CliContext cli)
    {
        var root = new RootCommand("cashtransfer: the CashTransfer ledger for humanitarian cash and voucher assistance.\n" +
                                   "Exit codes: 0 done; 1 usage; 2 invalid request; 3 not allowed; 4 not found; 5 conflict (often: already done); " +
                                   "6 service unavailable; 7 local problem (profile, file); 8 upload rows not issued; 70 service fault.");
        root.Options.Add(cli.Profile);
        root.Options.Add(cli.Json);
        // The local stack (network operators, developers).
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(ResetCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        // Profiles, then each role's commands.
        root.Subcommands.Add(ProfileCommands.Build(cli));
        root.Subcommands.Add(ProgrammeCommands.Build(cli));
        root.Subcommands.Add(EntitlementCommands.Build(cli));
        root.Subcommands.Add(RetailerCommands.BuildRetailers(cli));
        root.Subcommands.Add(RetailerCommands.BuildTerminals(cli));
        root.Subcommands.Add(SettlementCommands.BuildSettle(cli));
        root.Subcommands.Add(SettlementCommands.BuildReverse(cli));
        root.Subcommands.Add(SettlementCommands.BuildOverlaps(cli));
        var journal = SettlementCommands.BuildJournal(cli);
        journal.Subcommands.Add(JournalCommand.CreateExport());
        root.Subcommands.Add(journal);
        root.Subcommands.Add(AuditorCommands.Build(cli));
        root.Subcommands.Add(ReconcileCommand.Create(cli));
        root.Subcommands.Add(VerifyLedgerCommand.Create());
        SummaryHelpAction.Apply(root);
        return root;
    }
}
