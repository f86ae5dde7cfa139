using System.CommandLine;
using CashTransfer.Api;
using CashTransfer.Cli.Commands;

namespace CashTransfer.Cli.Operator;

/// <summary><c>cashtransfer retailers register</c> and <c>cashtransfer terminals register|suspend|reactivate|rotate-key</c> (operator).</summary>
public static class RetailerCommands
{
    public static Command BuildRetailers(CliContext cli)
    {
        var retailers = new Command("retailers", "Retailers (shops) that serve beneficiaries (operator).");
        var id = new Argument<string>("retailer-id") { Description = "The retailer's id." };
        var categories = new Option<string[]>("--category") { Description = "What it sells (repeat), e.g. food.", Required = true, AllowMultipleArgumentsPerToken = true };
        var register = ApiCommand.Create("register", "Register a retailer on the ledger.", "cashtransfer retailers register demo-shop --category food --category hygiene");
        register.Arguments.Add(id);
        register.Options.Add(categories);
        register.SetClientAction(cli, async (parse, client, ct) =>
        {
            var r = await client.Operator.RegisterRetailerAsync(new RetailerRegistrationDto(parse.GetValue(id)!, parse.GetValue(categories)!), ct: ct);
            cli.Write(parse, r, console => console.Write(CliContext.Fields($"Retailer {r.RetailerId}",
                ("status", r.Status), ("registered by", r.RegisteredBy), ("categories", string.Join(", ", r.Categories)))));
            return ExitCodes.Ok;
        });
        retailers.Subcommands.Add(register);
        return retailers;
    }

    public static Command BuildTerminals(CliContext cli)
    {
        var terminals = new Command("terminals", "Retailers' POS terminals and their keys (operator).");
        var id = new Argument<string>("terminal-id") { Description = "The terminal's id." };
        var retailer = new Option<string>("--retailer") { Description = "The retailer the terminal belongs to.", Required = true };
        var publicKey = new Option<FileInfo>("--public-key") { Description = "PEM file of the terminal's ECDSA P-256 public key.", Required = true };
        var register = ApiCommand.Create("register", "Register a terminal with its public key.", "cashtransfer terminals register pos-7 --retailer demo-shop --public-key pos-7.pub.pem");
        register.Arguments.Add(id);
        register.Options.Add(retailer);
        register.Options.Add(publicKey);
        register.SetClientAction(cli, async (parse, client, ct) =>
        {
            var pem = await File.ReadAllTextAsync(parse.GetValue(publicKey)!.FullName, ct);
            Show(cli, parse, await client.Operator.RegisterTerminalAsync(new TerminalRegistrationDto(parse.GetValue(id)!, parse.GetValue(retailer)!, pem), ct: ct));
            return ExitCodes.Ok;
        });
        terminals.Subcommands.Add(register);
        terminals.Subcommands.Add(Change(cli, "suspend", "Suspend a terminal: the service and the ledger refuse its requests and receipts until reactivated."));
        terminals.Subcommands.Add(Change(cli, "reactivate", "Reactivate a suspended terminal."));

        var rotateId = new Argument<string>("terminal-id") { Description = "The terminal's id." };
        var newKey = new Option<FileInfo>("--public-key") { Description = "PEM file of the terminal's new public key.", Required = true };
        var rotate = ApiCommand.Create("rotate-key", "Replace a terminal's key (its key version goes up by one).", "cashtransfer terminals rotate-key pos-7 --public-key pos-7-new.pub.pem");
        rotate.Arguments.Add(rotateId);
        rotate.Options.Add(newKey);
        rotate.SetClientAction(cli, async (parse, client, ct) =>
        {
            var pem = await File.ReadAllTextAsync(parse.GetValue(newKey)!.FullName, ct);
            Show(cli, parse, await client.Operator.RotateTerminalKeyAsync(parse.GetValue(rotateId)!, pem, ct: ct));
            return ExitCodes.Ok;
        });
        terminals.Subcommands.Add(rotate);
        return terminals;
    }

    private static Command Change(CliContext cli, string verb, string description)
    {
        var id = new Argument<string>("terminal-id") { Description = "The terminal's id." };
        var command = ApiCommand.Create(verb, description, $"cashtransfer terminals {verb} pos-7");
        command.Arguments.Add(id);
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

    private static void Show(CliContext cli, ParseResult parse, TerminalLedgerRecord t) => cli.Write(parse, t, console => console.Write(CliContext.Fields($"Terminal {t.TerminalId}",
        ("retailer", t.RetailerId), ("status", t.Status), ("key version", t.KeyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("registered by", t.RegisteredBy))));
}
