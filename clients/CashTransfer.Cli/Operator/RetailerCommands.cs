using System.CommandLine;
using System.Globalization;
using CashTransfer.Api;
using CashTransfer.Cli.Commands;
using Spectre.Console;

namespace CashTransfer.Cli.Operator;

/// <summary><c>cashtransfer retailers list|register|suspend|reactivate</c> and <c>cashtransfer terminals list|register|suspend|reactivate|rotate-key</c> (operator).</summary>
public static class RetailerCommands
{
    public static Command BuildRetailers(CliContext cli)
    {
        var retailers = new Command("retailers", "Retailers (shops) that serve beneficiaries (operator).");
        var id = RetailerId();
        var categories = new Option<string[]>("--category") { Description = "What it sells (repeat), e.g. food.", Required = true, AllowMultipleArgumentsPerToken = true };
        var register = ApiCommand.Create("register", "Register a retailer on the ledger.", "cashtransfer retailers register demo-shop --category food --category hygiene",
            id, categories);
        register.SetClientAction(cli, async (parse, client, ct) =>
        {
            Show(cli, parse, await client.Operator.RegisterRetailerAsync(new RetailerRegistrationDto(parse.GetValue(id)!, parse.GetValue(categories)!), ct: ct));
            return ExitCodes.Ok;
        });
        retailers.Subcommands.Add(register);
        retailers.Subcommands.Add(ListRetailers(cli));
        retailers.Subcommands.Add(ChangeRetailer(cli, "suspend",
            "Suspend a retailer your agency registered: from now on no sale of any of its terminals counts (each is recorded as rejected, " +
            "RetailerSuspended), whatever the terminals' own status. Sales made and acknowledged before still count; settle them as usual."));
        retailers.Subcommands.Add(ChangeRetailer(cli, "reactivate", "Reactivate a suspended retailer. Sales made while it was suspended stay rejected."));
        return retailers;
    }

    private static Command ListRetailers(CliContext cli)
    {
        var command = ApiCommand.Create("list", "List the retailers on the ledger, with their status.", "cashtransfer retailers list");
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var retailers = await client.Operator.ListRetailersAsync(ct).ToListAsync(ct);
            cli.Write(parse, retailers, console => console.Write(retailers.Count == 0 ? new Text("No retailers.") :
                ListTable(["retailer", "registered by", "status"], retailers.Select(r => new[] { r.RetailerId, r.RegisteredBy, r.Status }))));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListTerminals(CliContext cli)
    {
        var retailer = new Option<string>("--retailer") { Description = "Only this retailer's terminals." };
        var command = ApiCommand.Create("list", "List terminals with their retailer, status and key version.", "cashtransfer terminals list --retailer demo-shop", retailer);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var terminals = await client.Operator.ListTerminalsAsync(parse.GetValue(retailer), ct).ToListAsync(ct);
            cli.Write(parse, terminals, console => console.Write(terminals.Count == 0 ? new Text("No terminals.") :
                ListTable(["terminal", "retailer", "status", "key", "agency"], terminals.Select(t =>
                    new[] { t.TerminalId, t.RetailerId, t.Status, $"v{t.KeyVersion.ToString(CultureInfo.InvariantCulture)}", t.AgencyMsp }))));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table ListTable(string[] headings, IEnumerable<string[]> rows)
    {
        var table = CliContext.List(headings);
        foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }

    private static Argument<string> RetailerId() => new("retailer-id") { Description = "The retailer's id." };
    private static Argument<string> TerminalId() => new("terminal-id") { Description = "The terminal's id." };

    private static Command ChangeRetailer(CliContext cli, string verb, string description)
    {
        var id = RetailerId();
        var command = ApiCommand.Create(verb, description, $"cashtransfer retailers {verb} demo-shop", id);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var retailer = verb == "suspend"
                ? await client.Operator.SuspendRetailerAsync(parse.GetValue(id)!, ct: ct)
                : await client.Operator.ReactivateRetailerAsync(parse.GetValue(id)!, ct: ct);
            Show(cli, parse, retailer);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildTerminals(CliContext cli)
    {
        var terminals = new Command("terminals", "Retailers' POS terminals and their keys (operator).");
        var id = TerminalId();
        var retailer = new Option<string>("--retailer") { Description = "The retailer the terminal belongs to.", Required = true };
        var publicKey = new Option<FileInfo>("--public-key") { Description = "PEM file of the terminal's ECDSA P-256 public key.", Required = true };
        var register = ApiCommand.Create("register", "Register a terminal with its public key.", "cashtransfer terminals register pos-7 --retailer demo-shop --public-key pos-7.pub.pem",
            id, retailer, publicKey);
        register.SetClientAction(cli, async (parse, client, ct) =>
        {
            var pem = await File.ReadAllTextAsync(parse.GetValue(publicKey)!.FullName, ct);
            Show(cli, parse, await client.Operator.RegisterTerminalAsync(new TerminalRegistrationDto(parse.GetValue(id)!, parse.GetValue(retailer)!, pem), ct: ct));
            return ExitCodes.Ok;
        });
        terminals.Subcommands.Add(register);
        terminals.Subcommands.Add(ListTerminals(cli));
        terminals.Subcommands.Add(ChangeTerminal(cli, "suspend", "Suspend a terminal: the service and the ledger refuse its requests and receipts until reactivated."));
        terminals.Subcommands.Add(ChangeTerminal(cli, "reactivate", "Reactivate a suspended terminal."));

        var rotateId = TerminalId();
        var newKey = new Option<FileInfo>("--public-key") { Description = "PEM file of the terminal's new public key.", Required = true };
        var rotate = ApiCommand.Create("rotate-key", "Replace a terminal's key (its key version goes up by one).", "cashtransfer terminals rotate-key pos-7 --public-key pos-7-new.pub.pem",
            rotateId, newKey);
        rotate.SetClientAction(cli, async (parse, client, ct) =>
        {
            var pem = await File.ReadAllTextAsync(parse.GetValue(newKey)!.FullName, ct);
            Show(cli, parse, await client.Operator.RotateTerminalKeyAsync(parse.GetValue(rotateId)!, pem, ct: ct));
            return ExitCodes.Ok;
        });
        terminals.Subcommands.Add(rotate);
        return terminals;
    }

    private static Command ChangeTerminal(CliContext cli, string verb, string description)
    {
        var id = TerminalId();
        var command = ApiCommand.Create(verb, description, $"cashtransfer terminals {verb} pos-7", id);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var terminal = verb == "suspend"
                ? await client.Operator.SuspendTerminalAsync(parse.GetValue(id)!, ct: ct)
                : await client.Operator.ReactivateTerminalAsync(parse.GetValue(id)!, ct: ct);
            Show(cli, parse, terminal);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext cli, ParseResult parse, RetailerRecord r) => cli.Write(parse, r, console => console.Write(CliContext.Fields($"Retailer {r.RetailerId}",
        ("status", r.Status), ("registered by", r.RegisteredBy), ("categories", string.Join(", ", r.Categories)))));

    private static void Show(CliContext cli, ParseResult parse, TerminalLedgerRecord t) => cli.Write(parse, t, console => console.Write(CliContext.Fields($"Terminal {t.TerminalId}",
        ("retailer", t.RetailerId), ("status", t.Status), ("key version", t.KeyVersion.ToString(CultureInfo.InvariantCulture)), ("registered by", t.RegisteredBy))));
}
