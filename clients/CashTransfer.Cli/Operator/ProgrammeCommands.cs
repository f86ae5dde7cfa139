using System.CommandLine;
using System.Globalization;
using CashTransfer.Api;
using CashTransfer.Cli.Commands;
using CashTransfer.Contracts;
using Spectre.Console;

namespace CashTransfer.Cli.Operator;

/// <summary><c>cashtransfer programmes ...</c>: an operator creates, lists, reads, suspends, reactivates and closes programmes and chooses their retailers.</summary>
public static class ProgrammeCommands
{
    public static Command Build(CliContext cli)
    {
        var programmes = new Command("programmes", "Assistance programmes of your agency (operator).");
        programmes.Subcommands.Add(Create(cli));
        programmes.Subcommands.Add(List(cli));
        programmes.Subcommands.Add(Show(cli));
        programmes.Subcommands.Add(SetStatus(cli, "suspend", "Suspended", "Suspend a programme: its entitlements cannot be spent until it is reactivated."));
        programmes.Subcommands.Add(SetStatus(cli, "reactivate", "Active", "Reactivate a suspended programme."));
        programmes.Subcommands.Add(SetStatus(cli, "close", "Closed", "Close a programme for good."));
        programmes.Subcommands.Add(Retailer(cli, "allow", "Let a retailer serve the programme's beneficiaries."));
        programmes.Subcommands.Add(Retailer(cli, "disallow", "Stop a retailer from serving the programme's beneficiaries."));
        return programmes;
    }

    private static Argument<string> ProgrammeId() => new("programme-id") { Description = "The programme's id." };

    private static Command Create(CliContext cli)
    {
        var id = ProgrammeId();
        var budget = new Option<long>("--budget") { Description = "Budget cap in minor units (e.g. 500000000 = 5,000,000.00).", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 currency, e.g. JOD.", Required = true };
        // No default value factory: help would print the moment it was computed, in the machine's culture; "now" is taken when the command runs.
        var from = new Option<DateTimeOffset?>("--valid-from") { Description = "When entitlements may first be spent (ISO 8601; default now)." };
        var until = new Option<DateTimeOffset>("--valid-until") { Description = "When entitlements expire (ISO 8601).", Required = true };
        var priority = new Option<int>("--priority") { Description = "Lower is spent first when a beneficiary holds several.", DefaultValueFactory = _ => 1 };
        var voucher = new Option<string[]>("--voucher") { Description = "Make it a value voucher for these categories (repeat); without it, cash.", AllowMultipleArgumentsPerToken = true };
        var retailers = new Option<string[]>("--retailer") { Description = "Retailer allowed to serve it (repeat).", AllowMultipleArgumentsPerToken = true };
        var command = ApiCommand.Create("create", "Create a programme owned by your agency.",
            "cashtransfer programmes create wfp-food-2026 --budget 500000000 --currency JOD --valid-until 2026-12-31 --voucher food --retailer demo-shop",
            id, budget, currency, from, until, priority, voucher, retailers);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var categories = parse.GetValue(voucher) ?? [];
            var definition = new ProgrammeDefinitionDto(parse.GetValue(id)!, new Money(parse.GetValue(budget), parse.GetValue(currency)!.ToUpperInvariant()),
                parse.GetValue(from) ?? DateTimeOffset.UtcNow, parse.GetValue(until), parse.GetValue(priority),
                new SpendingRestrictionDto(categories.Length == 0 ? "Cash" : "Voucher", categories), parse.GetValue(retailers) ?? []);
            Show(cli, parse, await client.Operator.CreateProgrammeAsync(definition, ct: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext cli)
    {
        var command = ApiCommand.Create("list", "List your agency's programmes with their budget and how much of it is issued (minor units).",
            "cashtransfer programmes list");
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var programmes = await client.Operator.ListProgrammesAsync(ct).ToListAsync(ct);
            cli.Write(parse, programmes, console => console.Write(BudgetTable(programmes, withOwner: false)));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Programmes with their budget use, one row each, narrow enough for an 80-column terminal: ids and amounts never
    /// wrap, the share of the budget issued is a percentage (exact figures are in <c>--json</c>), and the auditor's
    /// table shows each programme's owner where the operator's shows when it ends.
    /// </summary>
    public static Spectre.Console.Rendering.IRenderable BudgetTable(IReadOnlyList<ProgrammeBudgetDto> programmes, bool withOwner)
    {
        if (programmes.Count == 0) return new Text("No programmes.");
        // One space of padding: a 23-character id, a status and a trillion-unit budget still fit 80 columns whole.
        var table = new Table().Border(TableBorder.Simple).Caption("budgets in minor units")
            .AddColumn(new TableColumn("programme").NoWrap().PadLeft(0).PadRight(1))
            .AddColumn((withOwner ? new TableColumn("owner") : new TableColumn("until")).NoWrap().PadLeft(0).PadRight(1))
            .AddColumn(new TableColumn("status").NoWrap().PadLeft(0).PadRight(1))
            .AddColumn(new TableColumn("budget").RightAligned().NoWrap().PadLeft(0).PadRight(1))
            .AddColumn(new TableColumn("issued").RightAligned().NoWrap().PadLeft(0).PadRight(1));
        foreach (var p in programmes)
            table.AddRow(Markup.Escape(p.ProgrammeId), Markup.Escape(withOwner ? p.OwnerMsp : $"{p.ValidUntil:yyyy-MM-dd}"), p.Status,
                $"{Minor(p.BudgetMinor)} {p.Currency}", Share(p.IssuedMinor, p.BudgetMinor));
        return table;
    }

    /// <summary>Issued as a share of the budget, to a tenth of a percent, rounded down (integer arithmetic).</summary>
    private static string Share(long issued, long budget)
    {
        if (budget <= 0) return "-";
        var permille = (long)(Int128.Max(0, issued) * 1000 / budget);
        return string.Create(CultureInfo.InvariantCulture, $"{permille / 10}.{permille % 10} %");
    }

    private static string Minor(long minor) => minor.ToString("N0", CultureInfo.InvariantCulture);

    private static Command Show(CliContext cli)
    {
        var id = ProgrammeId();
        var command = ApiCommand.Create("show", "Show a programme as the ledger holds it.", "cashtransfer programmes show wfp-food-2026", id);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            Show(cli, parse, await client.Operator.GetProgrammeAsync(parse.GetValue(id)!, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetStatus(CliContext cli, string name, string status, string description)
    {
        var id = ProgrammeId();
        var command = ApiCommand.Create(name, description, $"cashtransfer programmes {name} wfp-food-2026", id);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            Show(cli, parse, await client.Operator.SetProgrammeStatusAsync(parse.GetValue(id)!, status, ct: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Retailer(CliContext cli, string verb, string description)
    {
        var id = ProgrammeId();
        var retailer = new Argument<string>("retailer-id") { Description = "The retailer's id." };
        var command = ApiCommand.Create($"{verb}-retailer", description, $"cashtransfer programmes {verb}-retailer wfp-food-2026 demo-shop", id, retailer);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var programme = verb == "allow"
                ? await client.Operator.AllowRetailerAsync(parse.GetValue(id)!, parse.GetValue(retailer)!, ct: ct)
                : await client.Operator.DisallowRetailerAsync(parse.GetValue(id)!, parse.GetValue(retailer)!, ct: ct);
            Show(cli, parse, programme);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext cli, ParseResult parse, ProgrammeRecord p) => cli.Write(parse, p, console => console.Write(CliContext.Fields($"Programme {p.ProgrammeId}",
        ("owner", p.OwnerMsp),
        ("status", p.Status),
        ("budget (minor units)", $"{Minor(p.BudgetMinor)} {p.Currency}"),
        ("valid", $"{p.ValidFrom:yyyy-MM-dd HH:mm} to {p.ValidUntil:yyyy-MM-dd HH:mm} UTC"),
        ("priority", p.Priority.ToString(CultureInfo.InvariantCulture)),
        ("restriction", p.Restriction.Kind == "Cash" ? "cash" : "voucher: " + string.Join(", ", p.Restriction.Categories ?? [])),
        ("retailers", string.Join(", ", p.AllowedRetailers)))));
}
