using System.CommandLine;
using System.Net;
using CashTransfer.Api;
using CashTransfer.Cli.Commands;
using Spectre.Console;

namespace CashTransfer.Cli.Operator;

/// <summary><c>cashtransfer settle</c>, <c>reverse</c>, <c>overlaps</c> and <c>journal anomalies</c> (operator).</summary>
public static class SettlementCommands
{
    public static Command BuildSettle(CliContext cli)
    {
        var retailer = new Argument<string>("retailer-id") { Description = "The retailer to pay." };
        var reference = new Option<string>("--payment-reference") { Description = "Your payment's reference (bank transfer, mobile money batch).", Required = true };
        var id = new Option<string?>("--settlement-id") { Description = "The settlement's id (default: derived from retailer and reference, so a repeat does nothing twice)." };
        var cutOff = new Option<DateTimeOffset?>("--cut-off") { Description = "Settle redemptions recorded up to this time (ISO 8601; default: a second ago)." };
        var command = ApiCommand.Create("settle", "Settle what your agency owes a retailer for redemptions up to the cut-off.",
            "cashtransfer settle demo-shop --payment-reference TRF-2026-0042", retailer, reference, id, cutOff);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var settlementId = parse.GetValue(id) ?? $"{parse.GetValue(retailer)}-{parse.GetValue(reference)}";
            var request = new SettlementRequestDto(settlementId, parse.GetValue(retailer)!, parse.GetValue(cutOff) ?? DateTimeOffset.UtcNow.AddSeconds(-1), parse.GetValue(reference)!);
            var answer = await client.Operator.SettleAsync(request, $"settle/{settlementId}", ct);
            var s = answer.Value;
            var recordedNow = answer.Status == HttpStatusCode.Created && !answer.Replayed;
            cli.Write(parse, s, console => console.Write(CliContext.Fields($"Settlement {s.SettlementId}",
                ("recorded", recordedNow ? "now" : "earlier (this repeat paid nothing more)"),
                ("retailer", s.RetailerId), ("agency", s.AgencyMsp), ("payment reference", s.PaymentReference),
                ("totals (minor units)", string.Join(", ", (s.Totals ?? []).Select(t => $"{t.Minor:N0} {t.Currency}"))),
                ("redemptions", s.RedemptionIds.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildReverse(CliContext cli)
    {
        var redemption = new Argument<string>("redemption-id") { Description = "The redemption to reverse." };
        var reason = new Option<string>("--reason") { Description = "GoodsReturned, CashierError, DuplicateSale, Fraud or Other.", Required = true };
        reason.AcceptOnlyFromAmong("GoodsReturned", "CashierError", "DuplicateSale", "Fraud", "Other");
        var command = ApiCommand.Create("reverse", "Reverse a redemption your agency paid for (until it is settled).",
            "cashtransfer reverse demo-pos-1-17 --reason CashierError", redemption, reason);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var r = await client.Operator.ReverseRedemptionAsync(parse.GetValue(redemption)!, parse.GetValue(reason)!, ct: ct);
            cli.Write(parse, r, console => console.Write(CliContext.Fields($"Redemption {r.RedemptionId}",
                ("status", r.Status), ("amount (minor units)", $"{r.Amount.Minor:N0} {r.Amount.Currency}"), ("terminal", r.TerminalId), ("retailer", r.RetailerId))));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildOverlaps(CliContext cli)
    {
        var beneficiary = new Argument<string>("beneficiary-hash") { Description = "The beneficiary's keyed hash." };
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the period (ISO 8601; default 90 days ago).", DefaultValueFactory = _ => DateTimeOffset.UtcNow.AddDays(-90) };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the period (ISO 8601; default now).", DefaultValueFactory = _ => DateTimeOffset.UtcNow };
        var command = ApiCommand.Create("overlaps", "Which other agencies assist a beneficiary in a period (categories and amount bands, no personal data).",
            "cashtransfer overlaps 4f1c...e9 --from 2026-01-01", beneficiary, from, to);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var overlaps = await client.Operator.CheckOverlapsAsync(parse.GetValue(beneficiary)!, parse.GetValue(from), parse.GetValue(to), ct);
            cli.Write(parse, overlaps, console =>
            {
                if (overlaps.Count == 0) { console.WriteLine("No other agency assists this beneficiary in the period."); return; }
                var table = new Table().AddColumns("agency", "category", "amount band");
                foreach (var o in overlaps) table.AddRow(Markup.Escape(o.AgencyMsp), Markup.Escape(o.Category), Markup.Escape(o.AmountBand));
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildJournal(CliContext cli)
    {
        var journal = new Command("journal", "Terminals' journals as the service received them (operator).");
        var terminal = new Option<string?>("--terminal") { Description = "Only this terminal's anomalies." };
        var anomalies = ApiCommand.Create("anomalies", "Gaps, forks and replays the service refused from terminals' journals (latest 500).",
            "cashtransfer journal anomalies --terminal demo-pos-4", terminal);
        anomalies.SetClientAction(cli, async (parse, client, ct) =>
        {
            var list = await client.Operator.ListJournalAnomaliesAsync(parse.GetValue(terminal), ct);
            cli.Write(parse, list, console =>
            {
                if (list.Count == 0) { console.WriteLine("No journal anomalies."); return; }
                var table = new Table().AddColumns("terminal", "kind", "expected", "received", "detected (UTC)");
                foreach (var a in list)
                    table.AddRow(Markup.Escape(a.TerminalId), Markup.Escape(a.Kind), $"{a.ExpectedSequence}", $"{a.ReceivedSequence}",
                        $"{DateTimeOffset.FromUnixTimeMilliseconds(a.DetectedAt):yyyy-MM-dd HH:mm}");
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        journal.Subcommands.Add(anomalies);
        return journal;
    }
}
