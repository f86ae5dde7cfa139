using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CashTransfer.Cli.Commands;
using Xunit;

namespace CashTransfer.Cli.Tests.Commands;

/// <summary>
/// The <c>cashtransfer</c> commands against the real service on the embedded network, as the demo identities'
/// profiles: what they change on the ledger, their JSON and tables, and their error paths with exit codes.
/// </summary>
public sealed class CommandTests(CliStack stack) : IClassFixture<CliStack>
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static string Hash(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Output).RootElement;

    private async Task<string> CreateProgrammeAsync(long budget = 1_000_000_000_000)
    {
        var id = NewId("cli-prog");
        var run = await stack.RunAsync("programmes", "create", id, "--budget", $"{budget}", "--currency", "JOD", "--valid-until", "2030-01-01",
            "--voucher", "food", "--retailer", "demo-shop", "--profile", "wfp-ops", "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        return id;
    }

    [Fact]
    public async Task An_operator_creates_shows_suspends_and_reactivates_a_programme_in_tables_that_fit_80_columns()
    {
        var id = await CreateProgrammeAsync();
        var show = await stack.RunAsync("programmes", "show", id, "--profile", "wfp-ops");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("WFPMSP", show.Output);
        Assert.All(show.Output.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));

        var suspended = await stack.RunAsync("programmes", "suspend", id, "--profile", "wfp-ops", "--json");
        Assert.Equal("Suspended", Json(suspended).GetProperty("status").GetString());
        var active = await stack.RunAsync("programmes", "reactivate", id, "--profile", "wfp-ops", "--json");
        Assert.Equal("Active", Json(active).GetProperty("status").GetString());
        var disallowed = await stack.RunAsync("programmes", "disallow-retailer", id, "demo-shop", "--profile", "wfp-ops", "--json");
        Assert.Equal(0, Json(disallowed).GetProperty("allowedRetailers").GetArrayLength());
    }

    [Fact]
    public async Task Retailers_and_terminals_are_listed_in_tables_that_fit_80_columns_and_as_JSON()
    {
        var retailer = NewId("cli-list-shop");
        Assert.Equal(0, (await stack.RunAsync("retailers", "register", retailer, "--category", "food", "--profile", "wfp-ops")).ExitCode);

        // The list is the service's read model, which follows the ledger's RetailerRegistered event a moment later.
        CliRun table = null!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            table = await stack.RunAsync("retailers", "list", "--profile", "wfp-ops");
            if (table.Output.Contains(retailer, StringComparison.Ordinal)) break;
            await Task.Delay(200);
        }
        Assert.True(table.ExitCode == 0, table.ToString());
        var row = Assert.Single(table.Output.Split('\n'), l => l.Contains(retailer, StringComparison.Ordinal));
        Assert.Contains("WFPMSP", row);
        Assert.Contains("Active", row);
        Assert.All(table.Output.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));

        var terminals = await stack.RunAsync("terminals", "list", "--retailer", "demo-shop", "--profile", "wfp-ops", "--json");
        Assert.True(terminals.ExitCode == 0, terminals.ToString());
        var listed = Json(terminals).EnumerateArray().ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, t => Assert.Equal("demo-shop", t.GetProperty("retailerId").GetString()));
        Assert.Contains(listed, t => t.GetProperty("terminalId").GetString() == "demo-pos-1");
    }

    [Fact]
    public async Task Programmes_are_listed_with_budget_use_to_their_agency_and_all_of_them_to_the_auditor()
    {
        var id = await CreateProgrammeAsync(budget: 10_000);
        var csv = Path.Combine(stack.Stack.DataDirectory, $"{id}-list.csv");
        await File.WriteAllTextAsync(csv, $"beneficiaryHash,amountMinor\n{Hash($"{id}/a")},1500\n{Hash($"{id}/b")},2500\n");
        Assert.Equal(0, (await stack.RunAsync("entitlements", "upload", id, "c1", csv, "--profile", "wfp-ops")).ExitCode);

        var table = await stack.RunAsync("programmes", "list", "--profile", "wfp-ops");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.All(table.Output.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        var row = Assert.Single(table.Output.Split('\n'), l => l.Contains(id));
        Assert.Contains("10,000 JOD", row);
        Assert.Contains("40.0 %", row); // 4,000 of 10,000 issued
        var own = Json(await stack.RunAsync("programmes", "list", "--profile", "wfp-ops", "--json")).EnumerateArray().ToList();
        var listed = Assert.Single(own, p => p.GetProperty("programmeId").GetString() == id);
        Assert.Equal(4_000, listed.GetProperty("issuedMinor").GetInt64());
        Assert.All(own, p => Assert.Equal("WFPMSP", p.GetProperty("ownerMsp").GetString()));

        var otherAgency = Json(await stack.RunAsync("programmes", "list", "--profile", "unhcr-ops", "--json")).EnumerateArray();
        Assert.DoesNotContain(otherAgency, p => p.GetProperty("programmeId").GetString() == id);
        var audit = await stack.RunAsync("audit", "programmes", "--profile", "unwomen-audit");
        Assert.All(audit.Output.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        var all = Json(await stack.RunAsync("audit", "programmes", "--profile", "unwomen-audit", "--json")).EnumerateArray().ToList();
        Assert.Contains(all, p => p.GetProperty("programmeId").GetString() == id && p.GetProperty("ownerMsp").GetString() == "WFPMSP");
        Assert.True(all.Count > own.Count, "the auditor sees every agency's programmes");
    }

    [Fact]
    public async Task Reclaim_expired_returns_a_cycle_s_expired_balances_to_the_programme()
    {
        var id = NewId("cli-exp");
        var until = DateTimeOffset.UtcNow.AddSeconds(20);
        var created = await stack.RunAsync("programmes", "create", id, "--budget", "100000", "--currency", "JOD", "--valid-from", "2020-01-01",
            "--valid-until", until.ToString("O"), "--retailer", "demo-shop", "--profile", "wfp-ops");
        Assert.True(created.ExitCode == 0, created.ToString());
        var csv = Path.Combine(stack.Stack.DataDirectory, $"{id}.csv");
        await File.WriteAllTextAsync(csv, $"beneficiaryHash,amountMinor\n{Hash($"{id}/a")},700\n{Hash($"{id}/b")},300\n");
        Assert.Equal(0, (await stack.RunAsync("entitlements", "upload", id, "c1", csv, "--profile", "wfp-ops")).ExitCode);
        while (DateTimeOffset.UtcNow <= until.AddSeconds(1)) await Task.Delay(TimeSpan.FromMilliseconds(500)); // until the cycle has expired

        var reclaimed = await stack.RunAsync("entitlements", "reclaim-expired", id, "c1", "--profile", "wfp-ops", "--json");
        Assert.True(reclaimed.ExitCode == 0, reclaimed.ToString());
        Assert.Equal(2, Json(reclaimed).GetProperty("reclaimedCount").GetInt32());
        Assert.Equal(1_000, Json(reclaimed).GetProperty("reclaimedTotal").GetProperty("minor").GetInt64());
        var table = await stack.RunAsync("entitlements", "reclaim-expired", id, "c1", "--profile", "wfp-ops");
        Assert.Contains("0 JOD", table.Output); // nothing left to reclaim
        var totals = Json(await stack.RunAsync("audit", "totals", id, "--profile", "unwomen-audit", "--json"));
        Assert.Equal(1_000, totals.GetProperty("reclaimed").GetInt64());
        Assert.Equal(0, totals.GetProperty("outstanding").GetInt64());
        Assert.Equal(ExitCodes.NotAllowed, (await stack.RunAsync("entitlements", "reclaim-expired", id, "c1", "--profile", "unhcr-ops")).ExitCode);
    }

    [Fact]
    public async Task Another_agency_and_the_wrong_role_are_refused_with_what_to_do()
    {
        var id = await CreateProgrammeAsync();
        var auditor = await stack.RunAsync("programmes", "suspend", id, "--profile", "unwomen-audit");
        Assert.Equal(ExitCodes.NotAllowed, auditor.ExitCode);
        Assert.Contains("what to do:", auditor.Error);
        var otherAgency = await stack.RunAsync("programmes", "suspend", id, "--profile", "unhcr-ops");
        Assert.Equal(ExitCodes.NotAllowed, otherAgency.ExitCode);
    }

    [Fact]
    public async Task An_unknown_id_exits_with_not_found()
    {
        var run = await stack.RunAsync("programmes", "show", "no-such-programme", "--profile", "wfp-ops");
        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
        Assert.Contains("Check the id", run.Error);
    }

    [Fact]
    public async Task A_stopped_service_exits_with_unavailable_and_says_where_it_looked()
    {
        var config = Path.Combine(stack.ConfigFolder, "..", "config-down");
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var closed = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop(); // nothing listens there now
        var key = Directory.GetFiles(Path.Combine(stack.Stack.DataDirectory, "demo", "credentials"), "operator-wfp-ops*")[0];
        var added = await CliStack.RunIn(config, "profile", "add", "down", "--url", $"http://127.0.0.1:{closed}/", "--key-id", "operator/wfp-ops", "--key-file", key);
        Assert.True(added.ExitCode == 0, added.ToString());
        var listed = await CliStack.RunIn(config, "profile", "list");
        Assert.Contains("down", listed.Output);
        var run = await CliStack.RunIn(config, "programmes", "show", "anything");
        Assert.True(run.ExitCode == ExitCodes.Unavailable, run.ToString());
        Assert.Contains($"127.0.0.1:{closed}", run.Error);
        Assert.Contains("what to do:", run.Error);
    }

    [Fact]
    public async Task Profiles_are_listed_with_the_default_marked()
    {
        var run = await stack.RunAsync("profile", "list", "--json");
        var names = Json(run).EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["unhcr-ops", "unwomen-audit", "wfp-ops"], names);
        var table = await stack.RunAsync("profile", "list");
        Assert.Contains("* ", table.Output.Replace("│", " ").Replace("|", " "));
    }

    [Fact]
    public async Task An_upload_of_100000_rows_shows_progress_to_100_percent_writes_results_and_the_auditor_reads_the_totals()
    {
        const int rows = 100_000;
        var id = await CreateProgrammeAsync();
        var csv = Path.Combine(stack.Stack.DataDirectory, $"{id}.csv");
        await using (var writer = new StreamWriter(csv))
        {
            await writer.WriteLineAsync("beneficiaryHash,amountMinor");
            for (var i = 0; i < rows; i++) await writer.WriteLineAsync($"{Hash($"{id}/{i}")},700");
        }
        var results = csv + ".out.csv";
        var upload = await stack.RunAsync("entitlements", "upload", id, "2026-03", csv, "--results", results, "--profile", "wfp-ops", "--json");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.Contains("100 % (100,000 of 100,000 rows)", upload.Error);
        Assert.DoesNotContain("\r", upload.Error); // whole lines only when not a terminal
        Assert.Equal(rows, Json(upload).GetProperty("issuedRows").GetInt64());
        Assert.True(File.ReadLines(results).Count() >= rows);

        var totals = await stack.RunAsync("audit", "totals", id, "--profile", "unwomen-audit", "--json");
        Assert.True(totals.ExitCode == 0, totals.ToString());
        Assert.Equal(rows * 700L, Json(totals).GetProperty("issued").GetInt64());
        Assert.Equal(rows, Json(totals).GetProperty("entitlements").GetInt32());
    }

    [Fact]
    public async Task A_bad_csv_row_is_reported_in_the_results_file_and_the_exit_code()
    {
        var id = await CreateProgrammeAsync();
        var csv = Path.Combine(stack.Stack.DataDirectory, $"{id}-bad.csv");
        await File.WriteAllTextAsync(csv, $"beneficiaryHash,amountMinor\n{Hash("ok")},500\n{Hash("bad")},five\n");
        var upload = await stack.RunAsync("entitlements", "upload", id, "c1", csv, "--profile", "wfp-ops");
        Assert.True(upload.ExitCode == ExitCodes.RowsFailed, upload.ToString());
        var results = File.ReadAllLines(Path.ChangeExtension(csv, ".results.csv"));
        Assert.Contains(results, line => line.StartsWith("1,", StringComparison.Ordinal) && line.Contains("minor units"));
        Assert.Contains("1 row was not issued", upload.Output);
        Assert.Contains("the reason is in", upload.Output);
    }

    [Fact]
    public async Task Entitlements_are_topped_up_and_revoked_and_the_auditor_sees_the_change()
    {
        var id = await CreateProgrammeAsync();
        var beneficiary = Hash($"{id}/one");
        var csv = Path.Combine(stack.Stack.DataDirectory, $"{id}-one.csv");
        await File.WriteAllTextAsync(csv, $"beneficiaryHash,amountMinor\n{beneficiary},1000\n");
        Assert.Equal(0, (await stack.RunAsync("entitlements", "upload", id, "c1", csv, "--profile", "wfp-ops")).ExitCode);
        var topUp = await stack.RunAsync("entitlements", "top-up", id, "c1", beneficiary, "250", "--profile", "wfp-ops", "--json");
        Assert.True(topUp.ExitCode == 0, topUp.ToString());
        Assert.Equal(1250, Json(topUp).GetProperty("balance").GetInt64());
        var revoked = await stack.RunAsync("entitlements", "revoke", id, "c1", beneficiary, "--reason", "Duplicate", "--profile", "wfp-ops", "--json");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(0, Json(revoked).GetProperty("balance").GetInt64());
        var totals = await stack.RunAsync("audit", "totals", id, "--profile", "unwomen-audit", "--json");
        Assert.Equal(1250, Json(totals).GetProperty("revoked").GetInt64());
    }

    [Fact]
    public async Task The_auditor_reads_payables_redemptions_and_history()
    {
        var payables = await stack.RunAsync("audit", "payables", "demo-shop", "--profile", "unwomen-audit", "--json");
        Assert.True(payables.ExitCode == 0, payables.ToString());
        Assert.Equal(JsonValueKind.Array, Json(payables).ValueKind);
        var history = await stack.RunAsync("audit", "history", "Programme", "demo-wfp-food", "--profile", "unwomen-audit", "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.True(Json(history).GetArrayLength() >= 1);
        var noFilter = await stack.RunAsync("audit", "redemptions", "--profile", "unwomen-audit");
        Assert.Equal(ExitCodes.Local, noFilter.ExitCode);
    }

    [Fact]
    public void Every_command_s_help_has_an_example()
    {
        var root = CliApp.Build(new CliContext(Spectre.Console.AnsiConsole.Create(new()), TextWriter.Null, TextWriter.Null, new Profiles.ProfileStore(stack.ConfigFolder)));
        var leaves = new List<System.CommandLine.Command>();
        void Walk(System.CommandLine.Command c) { if (c.Subcommands.Count == 0) leaves.Add(c); foreach (var s in c.Subcommands) Walk(s); }
        Walk(root);
        var apiCommands = leaves.Where(c => c.Name is not ("up" or "reset" or "demo")).ToList();
        Assert.True(apiCommands.Count >= 25, $"{apiCommands.Count} commands");
        Assert.All(apiCommands, c => Assert.Contains("Example:\n  cashtransfer ", c.Description));
    }

    [Fact]
    public async Task The_openapi_document_lists_what_each_ledger_endpoint_answers_and_its_problems()
    {
        using var http = new HttpClient { BaseAddress = stack.Stack.Gateway.BaseAddress };
        using var document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/api/operator/programmes/{programmeId}", "get"), ("/api/operator/entitlements/top-ups", "post"),
                     ("/api/audit/programmes/{programmeId}/totals", "get"), ("/api/audit/settlements", "get") })
        {
            var responses = paths.GetProperty(path).GetProperty(method).GetProperty("responses");
            Assert.True(responses.TryGetProperty("200", out var ok) && ok.TryGetProperty("content", out _), $"{method} {path}: no 200 body");
            foreach (var status in new[] { "400", "403", "404", "409", "503" })
                Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} does not list {status}");
        }
    }

    [Fact]
    public async Task An_operator_registers_a_retailer_and_a_terminal_then_suspends_reactivates_and_rekeys_it()
    {
        var retailer = NewId("cli-shop");
        var registered = await stack.RunAsync("retailers", "register", retailer, "--category", "food", "--profile", "wfp-ops", "--json");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Equal("WFPMSP", Json(registered).GetProperty("registeredBy").GetString());

        string KeyFile(string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var path = Path.Combine(stack.Stack.DataDirectory, $"{retailer}-{name}.pub.pem");
            File.WriteAllText(path, key.ExportSubjectPublicKeyInfoPem());
            return path;
        }
        var terminal = NewId("cli-pos");
        var added = await stack.RunAsync("terminals", "register", terminal, "--retailer", retailer, "--public-key", KeyFile("first"), "--profile", "wfp-ops", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal("Suspended", Json(await stack.RunAsync("terminals", "suspend", terminal, "--profile", "wfp-ops", "--json")).GetProperty("status").GetString());
        Assert.Equal("Active", Json(await stack.RunAsync("terminals", "reactivate", terminal, "--profile", "wfp-ops", "--json")).GetProperty("status").GetString());
        var rotated = await stack.RunAsync("terminals", "rotate-key", terminal, "--public-key", KeyFile("second"), "--profile", "wfp-ops", "--json");
        Assert.Equal(Json(added).GetProperty("keyVersion").GetInt32() + 1, Json(rotated).GetProperty("keyVersion").GetInt32());

        var again = await stack.RunAsync("retailers", "register", retailer, "--category", "food", "--profile", "wfp-ops");
        Assert.True(again.ExitCode == ExitCodes.Conflict, again.ToString());
    }

    [Fact]
    public async Task Reversal_overlaps_anomalies_and_export_answer_as_documented()
    {
        var unknown = await stack.RunAsync("reverse", "no-such-redemption", "--reason", "CashierError", "--profile", "wfp-ops");
        Assert.True(unknown.ExitCode == ExitCodes.NotFound, unknown.ToString());
        var badReason = await stack.RunAsync("reverse", "x", "--reason", "Because", "--profile", "wfp-ops");
        Assert.Equal(ExitCodes.Usage, badReason.ExitCode);

        var overlaps = await stack.RunAsync("overlaps", Hash("nobody"), "--profile", "wfp-ops", "--json");
        Assert.True(overlaps.ExitCode == 0, overlaps.ToString());
        Assert.Equal(0, Json(overlaps).GetArrayLength());
        var anomalies = await stack.RunAsync("journal", "anomalies", "--profile", "wfp-ops", "--json");
        Assert.True(anomalies.ExitCode == 0, anomalies.ToString());

        var file = Path.Combine(stack.Stack.DataDirectory, "export.ndjson");
        var export = await stack.RunAsync("audit", "export", "--from", "2020-01-01", "--to", "2100-01-01", "--output", file, "--profile", "unwomen-audit", "--json");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(File.ReadLines(file).LongCount(), Json(export).GetProperty("redemptions").GetInt64());
        var asOperator = await stack.RunAsync("audit", "export", "--from", "2020-01-01", "--to", "2100-01-01", "--output", file, "--profile", "wfp-ops");
        Assert.Equal(ExitCodes.NotAllowed, asOperator.ExitCode);
    }

    [Fact]
    public async Task Reconcile_signs_as_the_profiles_auditor_key()
    {
        var output = Path.Combine(stack.Stack.DataDirectory, $"reconciliation-{Guid.NewGuid():N}");
        var run = await stack.RunAsync("reconcile", "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--out", output, "--format", "json",
            "--profile", "unwomen-audit");
        Assert.True(run.ExitCode is CashTransfer.Cli.Audit.ReconcileCommand.Clean or CashTransfer.Cli.Audit.ReconcileCommand.NeedsAction, run.ToString());
        Assert.True(File.Exists(Path.Combine(output, "reconciliation.json")), run.ToString());

        // An operator's profile is not an auditor: the service refuses its key, so the command could not run.
        var asOperator = await stack.RunAsync("reconcile", "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--out", output + "-operator",
            "--profile", "wfp-ops");
        Assert.True(asOperator.ExitCode == CashTransfer.Cli.Audit.ReconcileCommand.CouldNotRun, asOperator.ToString());
        Assert.False(Directory.Exists(output + "-operator"));
    }
}
