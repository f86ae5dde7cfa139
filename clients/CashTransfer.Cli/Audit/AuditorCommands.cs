using System.CommandLine;
using System.Globalization;
using CashTransfer.Api;
using CashTransfer.Cli.Commands;
using Spectre.Console;

namespace CashTransfer.Cli.Audit;

/// <summary>
/// <c>cashtransfer audit ...</c>: an auditor's reads of the ledger: programme totals, payables, redemptions (by
/// terminal, retailer or period), settlements, the history of a record, and an export of a period. Lists page
/// through the service; <c>--limit</c> bounds what a table shows (JSON gets everything).
/// </summary>
public static class AuditorCommands
{
    public static Command Build(CliContext cli)
    {
        var audit = new Command("audit", "Read the ledger as an auditor.");
        audit.Subcommands.Add(Programmes(cli));
        audit.Subcommands.Add(Totals(cli));
        audit.Subcommands.Add(Payables(cli));
        audit.Subcommands.Add(Redemptions(cli));
        audit.Subcommands.Add(Settlements(cli));
        audit.Subcommands.Add(History(cli));
        audit.Subcommands.Add(Export(cli));
        return audit;
    }

    private static string Minor(long minor) => minor.ToString("N0", CultureInfo.InvariantCulture);

    private static Command Programmes(CliContext cli)
    {
        var command = ApiCommand.Create("programmes", "Every agency's programmes with their budget and how much of it is issued (minor units).",
            "cashtransfer audit programmes");
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var programmes = await client.Audit.ListProgrammesAsync(ct).ToListAsync(ct);
            cli.Write(parse, programmes, console => console.Write(Operator.ProgrammeCommands.BudgetTable(programmes, withOwner: true)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Totals(CliContext cli)
    {
        var programme = new Argument<string>("programme-id") { Description = "The programme's id." };
        var command = ApiCommand.Create("totals", "A programme's totals over all its entitlements (minor units): issued = redeemed - reversed + revoked + reclaimed + outstanding.",
            "cashtransfer audit totals wfp-food-2026", programme);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var t = await client.Audit.GetProgrammeTotalsAsync(parse.GetValue(programme)!, ct);
            cli.Write(parse, t with { Bookmark = "" }, console => console.Write(CliContext.Fields($"Programme {t.ProgrammeId} ({t.Currency}, minor units)",
                ("budget", Minor(t.BudgetMinor)), ("budget issued", Minor(t.BudgetIssuedMinor)), ("entitlements", Minor(t.Entitlements)),
                ("issued", Minor(t.Issued)), ("redeemed", Minor(t.Redeemed)), ("reversed", Minor(t.Reversed)), ("revoked", Minor(t.Revoked)),
                ("reclaimed", Minor(t.Reclaimed)), ("outstanding", Minor(t.Outstanding)))));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<int> Limit() => new("--limit") { Description = "At most this many rows in the table (JSON gets all).", DefaultValueFactory = _ => 50 };

    private static Command Payables(CliContext cli)
    {
        var retailer = new Argument<string>("retailer-id") { Description = "The retailer." };
        var limit = Limit();
        var command = ApiCommand.Create("payables", "What agencies owe a retailer (unsettled), with the sum per agency and currency.", "cashtransfer audit payables demo-shop",
            retailer, limit);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var payables = await client.Audit.ListPayablesAsync(parse.GetValue(retailer)!, ct).ToListAsync(ct);
            cli.Write(parse, payables, console =>
            {
                var sums = new Table().Title("Owed (minor units)").AddColumns("agency", "currency", "amount", "redemptions");
                foreach (var g in payables.GroupBy(p => (p.AgencyMsp, p.Amount.Currency)).OrderBy(g => g.Key))
                    sums.AddRow(Markup.Escape(g.Key.AgencyMsp), g.Key.Currency, Minor(g.Sum(p => p.Amount.Minor)), Minor(g.Count()));
                console.Write(sums);
                var rows = CliContext.List("redemption", "agency", "amount");
                rows.Columns[2].RightAligned();
                foreach (var p in payables.Take(parse.GetValue(limit)))
                    rows.AddRow(Markup.Escape(p.RedemptionId), Markup.Escape(p.AgencyMsp), $"{Minor(p.Amount.Minor)} {p.Amount.Currency}");
                console.Write(rows);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Redemptions(CliContext cli)
    {
        var terminal = new Option<string?>("--terminal") { Description = "Redemptions of this terminal (journal order)." };
        var retailer = new Option<string?>("--retailer") { Description = "Redemptions at this retailer." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Redemptions recorded from this time (ISO 8601), with --to." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "... up to (not including) this time." };
        var limit = Limit();
        var command = ApiCommand.Create("redemptions", "Redemptions by terminal, by retailer, or by period.", "cashtransfer audit redemptions --retailer demo-shop --limit 20",
            terminal, retailer, from, to, limit);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var list = (parse.GetValue(terminal), parse.GetValue(retailer), parse.GetValue(from), parse.GetValue(to)) switch
            {
                ({ } t, _, _, _) => client.Audit.ListRedemptionsByTerminalAsync(t, ct),
                (_, { } r, _, _) => client.Audit.ListRedemptionsByRetailerAsync(r, ct),
                (_, _, { } f, { } u) => client.Audit.ListRedemptionsByPeriodAsync(f, u, ct),
                _ => throw new CommandInputException("Say which redemptions: --terminal ID, --retailer ID, or --from and --to."),
            };
            var json = parse.GetValue(cli.Json);
            var redemptions = await list.Take(json ? int.MaxValue : parse.GetValue(limit)).ToListAsync(ct);
            cli.Write(parse, redemptions, console =>
            {
                // One line per redemption in 80 columns: the redemption id names its terminal and a rejection shows as its
                // code; when it was recorded and everything else is in --json.
                var table = CliContext.List("redemption", "amount", "outcome");
                table.Columns[1].RightAligned();
                foreach (var r in redemptions)
                    table.AddRow(Markup.Escape(r.RedemptionId), $"{Minor(r.Amount.Minor)} {r.Amount.Currency}", Markup.Escape(r.Rejection?.Code ?? r.Status));
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Settlements(CliContext cli)
    {
        var retailer = new Option<string?>("--retailer") { Description = "Settlements of this retailer." };
        var id = new Option<string?>("--id") { Description = "One settlement, by id." };
        var command = ApiCommand.Create("settlements", "Settlements of a retailer, or one settlement.", "cashtransfer audit settlements --retailer demo-shop", retailer, id);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            IReadOnlyList<SettlementRecord> list = parse.GetValue(id) is { } one ? [await client.Audit.GetSettlementAsync(one, ct)]
                : parse.GetValue(retailer) is { } r ? await client.Audit.ListSettlementsAsync(r, ct).ToListAsync(ct)
                : throw new CommandInputException("Say which settlements: --retailer ID or --id SETTLEMENT.");
            cli.Write(parse, list, console =>
            {
                var table = new Table().AddColumns("settlement", "agency", "totals", "redemptions", "settled (UTC)");
                foreach (var s in list)
                    table.AddRow(Markup.Escape(s.SettlementId), Markup.Escape(s.AgencyMsp), string.Join(", ", (s.Totals ?? []).Select(t => $"{Minor(t.Minor)} {t.Currency}")),
                        Minor(s.RedemptionIds.Count), $"{s.SettledAt:yyyy-MM-dd HH:mm}");
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command History(CliContext cli)
    {
        var type = new Argument<string>("record-type") { Description = "Programme, Retailer, Terminal, Redemption, Settlement or Entitlement." };
        var key = new Argument<string[]>("key") { Description = "The record's key parts (Entitlement: beneficiary-hash programme-id cycle).", Arity = ArgumentArity.OneOrMore };
        var command = ApiCommand.Create("history", "Every version of a ledger record, newest first, with the transaction that wrote it.", "cashtransfer audit history Programme wfp-food-2026",
            type, key);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var versions = await client.Audit.ListHistoryAsync(parse.GetValue(type)!, parse.GetValue(key)!, ct).ToListAsync(ct);
            cli.Write(parse, versions, console =>
            {
                var table = new Table().AddColumns("time (UTC)", "transaction", "change");
                foreach (var v in versions)
                    table.AddRow($"{v.Timestamp:yyyy-MM-dd HH:mm:ss}", Markup.Escape(v.TxId[..Math.Min(16, v.TxId.Length)]) + "…",
                        v.IsDelete ? "deleted" : Markup.Escape(v.Value?.TryGetProperty("status", out var s) == true ? $"status {s}" : "written"));
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(CliContext cli)
    {
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the period (ISO 8601).", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the period, not included (ISO 8601).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "File to write (JSON lines, one redemption each).", Required = true };
        var command = ApiCommand.Create("export", "Export every redemption recorded in a period as JSON lines.",
            "cashtransfer audit export --from 2026-03-01 --to 2026-04-01 --output march.ndjson", from, to, output);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var file = parse.GetValue(output)!;
            await using (var stream = file.Create())
                await client.Audit.ExportAsync(parse.GetValue(from), parse.GetValue(to), stream, ct);
            var lines = File.ReadLines(file.FullName).LongCount();
            cli.Write(parse, new { file = file.FullName, redemptions = lines }, console => console.WriteLine($"Wrote {lines:N0} redemptions to {file.FullName}."));
            return ExitCodes.Ok;
        });
        return command;
    }
}
