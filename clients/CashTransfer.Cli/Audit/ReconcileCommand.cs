using CashTransfer.Api.Client;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CashTransfer.Cli.Commands;
using CashTransfer.Cli.Profiles;
using CashTransfer.Cli.Serving;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Reports;
using Spectre.Console;

namespace CashTransfer.Cli.Audit;

/// <summary>
/// <c>cashtransfer reconcile</c>: a three-way reconciliation of a period by the gateway service (ledger, the
/// journals the service received plus any exported journal files, a payment statement), with progress while it
/// runs; writes the reports into <c>--out</c> and prints a summary. Exit 0 when nothing needs action, 1 when
/// findings need action, 2 when it could not run (bad input, the service unreachable or refusing).
/// </summary>
public static class ReconcileCommand
{
    public const int Clean = 0, NeedsAction = 1, CouldNotRun = 2;

    public static Command Create(CliContext cli)
    {
        var from = new Option<string>("--from") { Description = "Start of the period (ISO 8601, inclusive).", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period (ISO 8601, exclusive).", Required = true };
        var retailer = new Option<string?>("--retailer") { Description = "Only this retailer." };
        var programme = new Option<string?>("--programme") { Description = "Only this programme." };
        var agency = new Option<string?>("--agency") { Description = "Only this agency's (MSP id) entitlements, settlements and payments." };
        var cutOff = new Option<string?>("--payable-cut-off") { Description = "Payables recorded before this time (ISO 8601) and still unsettled are overdue." };
        var journals = new Option<DirectoryInfo?>("--journals") { Description = "A folder of exported terminal journals (<terminalId>.ndjson)." };
        var payments = new Option<FileInfo?>("--payments") { Description = "The payment statement (CSV: paymentReference,retailerId,agencyMsp,amountMinor,currency,valueDate)." };
        var resubmit = new Option<bool>("--resubmit") { Description = "Submit lost receipts that carry a valid terminal signature again through the service's outbox." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the reports go.", DefaultValueFactory = _ => new DirectoryInfo("reconciliation") };
        var format = new Option<string>("--format") { Description = "Report formats, comma-separated: html, csv, json.", DefaultValueFactory = _ => "html,csv,json" };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Act as the auditor of the local stack in this data directory (default without --profile: ./.data when it holds one, else the default profile)." };
        var url = GatewayUrlOption.Create($"Gateway service (default: the profile's, or the one recorded in the data directory, else {ServedStack.DefaultGatewayUrl}).", null);
        var command = new Command("reconcile", "Reconcile the ledger, the terminals' journals and a payment statement for a period; write HTML, CSV and JSON reports. " +
            "Acts as --profile's auditor key, else as the local stack's auditor (--data).\n\n" +
            "Example:\n  cashtransfer reconcile --profile unwomen-audit --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z --journals journals/ --payments bank.csv --out report/")
        {
            from, to, retailer, programme, agency, cutOff, journals, payments, resubmit, output, format, data, url,
        };
        command.SetAction(async (parse, ct) =>
        {
            var console = cli.Console;
            if (!TryOrder(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(cutOff), parse.GetValue(journals), parse.GetValue(payments), out var order, out var problem)
                || !TryFormats(parse.GetValue(format)!, out var formats, out problem))
            {
                console.MarkupLine($"[red]{Markup.Escape(problem!)}[/]");
                return CouldNotRun;
            }
            order = order with { RetailerId = parse.GetValue(retailer), ProgrammeId = parse.GetValue(programme), AgencyMsp = parse.GetValue(agency), Resubmit = parse.GetValue(resubmit) };
            AuditorIdentity? auditor;
            try { auditor = AuditorIdentity.Resolve(cli.Profiles, parse.GetValue(cli.Profile), parse.GetValue(data)?.FullName, parse.GetValue(url)); }
            catch (ProfileException e)
            {
                console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return CouldNotRun;
            }
            if (auditor is null)
            {
                console.MarkupLine($"[red]No auditor to act as: give --profile NAME (cashtransfer profile add), or --data DIR of a local stack (cashtransfer up).[/]");
                return CouldNotRun;
            }
            return await RunAsync(auditor, order, parse.GetValue(output)!.FullName, formats, console, ct);
        });
        return command;
    }

    /// <summary>Runs a reconciliation as the local stack's auditor in <paramref name="dataDirectory"/> (the demo's); returns the exit code.</summary>
    public static async Task<int> RunAsync(string dataDirectory, Uri? gatewayUrl, ReconciliationOrder order, string outputDirectory, IReadOnlyList<string> formats,
        IAnsiConsole console, CancellationToken ct)
    {
        if (AuditorIdentity.FromDataDirectory(dataDirectory, gatewayUrl) is { } auditor) return await RunAsync(auditor, order, outputDirectory, formats, console, ct);
        console.MarkupLine($"[red]No auditor key in {Markup.Escape(dataDirectory)} (run cashtransfer up first, or give --data).[/]");
        return CouldNotRun;
    }

    /// <summary>Runs a reconciliation through the service as <paramref name="auditor"/> and writes its reports; returns the exit code.</summary>
    public static async Task<int> RunAsync(AuditorIdentity auditor, ReconciliationOrder order, string outputDirectory, IReadOnlyList<string> formats,
        IAnsiConsole console, CancellationToken ct)
    {
        if (!await CashTransferClient.IsServingAsync(auditor.Service, ct))
        {
            console.MarkupLine($"[red]The gateway service at {Markup.Escape(auditor.Service.ToString())} does not answer.[/]");
            return CouldNotRun;
        }
        using var api = auditor.Connect();
        var client = new ReconciliationClient(api);
        try
        {
            ReconciliationJobView job = null!;
            await console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn()).StartAsync(async progress =>
            {
                var task = progress.AddTask("uploading").IsIndeterminate();
                var started = await client.StartAsync(order, ct);
                job = await client.WaitAsync(started.Id, j => task.Description = Markup.Escape($"{j.Status}: {j.Stage ?? "queued"} ({j.Rows:N0} rows)"), ct);
                task.StopTask();
            });
            var written = new List<string>();
            foreach (var f in formats) written.Add(await client.DownloadAsync(job.Id, ReportFiles.FileNameOf(f), outputDirectory, ct));
            PrintSummary(job, written, console);
            return job.NeedsAction == true ? NeedsAction : Clean;
        }
        catch (ReconciliationFailedException e)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return CouldNotRun;
        }
        catch (Exception e) when (e is HttpRequestException or CashTransferApiException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            console.MarkupLine($"[red]The reconciliation could not run: {Markup.Escape(e.Message)}[/]");
            return CouldNotRun;
        }
    }

    private static void PrintSummary(ReconciliationJobView job, IReadOnlyList<string> written, IAnsiConsole console)
    {
        var counts = job.Counts!.Value;
        long N(string name) => counts.GetProperty(name).GetInt64();
        var table = new Table().Title($"Reconciliation {job.Id}").AddColumns("", "");
        table.AddRow("ledger redemptions", N("ledgerRedemptions").ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("journal receipts read / matched", $"{N("journalReceipts"):N0} / {N("journalCopiesMatched"):N0}");
        table.AddRow("settlements / payments", $"{N("settlements"):N0} / {N("payments"):N0}");
        table.AddRow("resubmitted", N("resubmitted").ToString("N0", CultureInfo.InvariantCulture));
        foreach (var kind in counts.GetProperty("findingsByKind").EnumerateObject())
        {
            var severity = CsvReport.Name(FindingKinds.SeverityOf(kind.Name));
            table.AddRow(Markup.Escape($"{kind.Name} ({severity})"), kind.Value.GetInt64().ToString("N0", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        foreach (var path in written) console.MarkupLine($"[grey]wrote {Markup.Escape(path)}[/]");
        console.MarkupLine(job.NeedsAction == true
            ? $"[red]{N("findingsNeedingAction"):N0} finding(s) need action.[/]"
            : "[green]Nothing needs action.[/]");
    }

    private static bool TryOrder(string from, string to, string? cutOff, DirectoryInfo? journals, FileInfo? payments, out ReconciliationOrder order, out string? problem)
    {
        order = null!;
        problem = null;
        if (!TryTime(from, "--from", out var start, ref problem) || !TryTime(to, "--to", out var end, ref problem)) return false;
        DateTimeOffset? cut = null;
        if (cutOff is not null) { if (!TryTime(cutOff, "--payable-cut-off", out var c, ref problem)) return false; cut = c; }
        if (end <= start) { problem = "--to must be after --from."; return false; }
        if (payments is not null && !payments.Exists) { problem = $"No payment statement at {payments.FullName}."; return false; }
        if (journals is not null && !journals.Exists) { problem = $"No journals folder at {journals.FullName}."; return false; }
        var files = journals?.GetFiles("*.ndjson").Select(f => f.FullName).Order(StringComparer.Ordinal).ToList() ?? [];
        if (journals is not null && files.Count == 0) { problem = $"{journals.FullName} holds no <terminalId>.ndjson journal."; return false; }
        order = new ReconciliationOrder(start, end, PayableCutOff: cut, PaymentsFile: payments?.FullName, JournalFiles: files);
        return true;
    }

    private static bool TryTime(string text, string option, out DateTimeOffset value, ref string? problem)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)) return true;
        problem = $"{option} '{text}' is not an ISO 8601 time (e.g. 2026-11-01T00:00:00Z).";
        return false;
    }

    private static bool TryFormats(string text, out IReadOnlyList<string> formats, out string? problem)
    {
        formats = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant()).Distinct().ToList();
        var unknown = formats.Except(ReportFiles.Formats).ToList();
        problem = unknown.Count > 0 || formats.Count == 0 ? $"--format takes html, csv and json; not {string.Join(", ", unknown)}." : null;
        return problem is null;
    }
}
