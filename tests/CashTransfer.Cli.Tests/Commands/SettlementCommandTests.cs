using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CashTransfer.Cli.Commands;
using CashTransfer.Contracts;
using Xunit;

namespace CashTransfer.Cli.Tests.Commands;

/// <summary>
/// The commands around real sales: a retailer of its own with a terminal selling online through the service, then
/// the auditor's redemption tables, <c>settle</c>, <c>audit settlements</c>, and <c>retailers suspend|reactivate</c>.
/// Every table must fit an 80-column terminal.
/// </summary>
public sealed class SettlementCommandTests(CliStack stack) : IClassFixture<CliStack>
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
    private static string Hash(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Output).RootElement;

    private static void FitsEightyColumns(CliRun run) =>
        Assert.All(run.Output.Split('\n'), line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));

    private async Task<CliRun> OkAsync(params string[] args)
    {
        var run = await stack.RunAsync(args);
        Assert.True(run.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args)}\n{run}");
        return run;
    }

    /// <summary>A retailer and terminal of WFP's, a cash programme it serves, and one beneficiary holding 10,000 JOD minor units there.</summary>
    private async Task<(string Retailer, SellingTerminal Terminal, string Beneficiary)> ShopAsync()
    {
        var retailer = NewId("shop");
        await OkAsync("retailers", "register", retailer, "--category", "food", "--profile", "wfp-ops");
        var terminal = new SellingTerminal(stack.Stack.Gateway.BaseAddress, NewId("pos"), stack.Stack.DataDirectory);
        await OkAsync("terminals", "register", terminal.TerminalId, "--retailer", retailer, "--public-key", terminal.PublicKeyFile, "--profile", "wfp-ops");
        var programme = NewId("prog");
        await OkAsync("programmes", "create", programme, "--budget", "1000000", "--currency", "JOD", "--valid-from", "2020-01-01", "--valid-until", "2030-01-01",
            "--retailer", retailer, "--profile", "wfp-ops");
        var beneficiary = Hash(programme);
        var csv = Path.Combine(stack.Stack.DataDirectory, $"{programme}.csv");
        await File.WriteAllTextAsync(csv, $"beneficiaryHash,amountMinor\n{beneficiary},10000\n");
        await OkAsync("entitlements", "upload", programme, "c1", csv, "--profile", "wfp-ops");
        return (retailer, terminal, beneficiary);
    }

    [Fact]
    public async Task Settle_pays_what_the_agency_owes_once_and_the_auditor_reads_sales_payables_and_settlements()
    {
        var (retailer, terminal, beneficiary) = await ShopAsync();
        using var _ = terminal;
        var sales = new[] { await terminal.SellAsync(beneficiary, new Money(1_200, "JOD")), await terminal.SellAsync(beneficiary, new Money(800, "JOD")) };
        Assert.All(sales, s => Assert.Equal("committed", s.Status));

        var byRetailer = await OkAsync("audit", "redemptions", "--retailer", retailer, "--profile", "unwomen-audit");
        FitsEightyColumns(byRetailer);
        Assert.True(byRetailer.Output.Contains("1,200 JOD"), byRetailer.Output);
        Assert.Contains("800 JOD", byRetailer.Output);
        Assert.Equal(2, byRetailer.Output.Split('\n').Count(l => l.Contains("Accepted")));
        var byTerminal = Json(await OkAsync("audit", "redemptions", "--terminal", terminal.TerminalId, "--profile", "unwomen-audit", "--json"));
        Assert.Equal(sales.Select(s => s.RedemptionId), byTerminal.EnumerateArray().Select(r => r.GetProperty("redemptionId").GetString()));
        var today = DateTimeOffset.UtcNow.Date;
        var byPeriod = Json(await OkAsync("audit", "redemptions", "--from", $"{today:yyyy-MM-dd}", "--to", $"{today.AddDays(2):yyyy-MM-dd}", "--profile", "unwomen-audit", "--json"));
        Assert.Superset(sales.Select(s => s.RedemptionId).ToHashSet(), byPeriod.EnumerateArray().Select(r => r.GetProperty("redemptionId").GetString()!).ToHashSet());

        var payables = Json(await OkAsync("audit", "payables", retailer, "--profile", "unwomen-audit", "--json"));
        Assert.Equal(2_000, payables.EnumerateArray().Sum(p => p.GetProperty("amount").GetProperty("minor").GetInt64()));
        // Settled up to the later sale (by default the cut-off is a second ago, which a sale this recent can miss).
        var cutOff = payables.EnumerateArray().Max(p => p.GetProperty("recordedAt").GetDateTimeOffset()).ToString("O");

        var settled = Json(await OkAsync("settle", retailer, "--payment-reference", "TRF-1", "--cut-off", cutOff, "--profile", "wfp-ops", "--json"));
        Assert.Equal(2_000, settled.GetProperty("totals")[0].GetProperty("minor").GetInt64());
        Assert.Equal(2, settled.GetProperty("redemptionIds").GetArrayLength());
        var again = await OkAsync("settle", retailer, "--payment-reference", "TRF-1", "--cut-off", cutOff, "--profile", "wfp-ops");
        Assert.Contains("earlier (this repeat paid nothing more)", again.Output);
        FitsEightyColumns(again);

        var table = await OkAsync("audit", "settlements", "--retailer", retailer, "--profile", "unwomen-audit");
        FitsEightyColumns(table);
        Assert.Contains("2,000 JOD", table.Output);
        Assert.Contains("WFPMSP", table.Output);
        var one = Json(await OkAsync("audit", "settlements", "--id", $"{retailer}-TRF-1", "--profile", "unwomen-audit", "--json"));
        Assert.Equal("TRF-1", Assert.Single(one.EnumerateArray()).GetProperty("paymentReference").GetString());
        Assert.Equal(0, Json(await OkAsync("audit", "payables", retailer, "--profile", "unwomen-audit", "--json")).GetArrayLength());

        var asAuditor = await stack.RunAsync("settle", retailer, "--payment-reference", "TRF-2", "--profile", "unwomen-audit");
        Assert.Equal(ExitCodes.NotAllowed, asAuditor.ExitCode);
        var noFilter = await stack.RunAsync("audit", "settlements", "--profile", "unwomen-audit");
        Assert.Equal(ExitCodes.Local, noFilter.ExitCode);
    }

    [Fact]
    public async Task A_suspended_retailer_s_sales_are_rejected_until_it_is_reactivated_and_only_its_agency_may_suspend_it()
    {
        var (retailer, terminal, beneficiary) = await ShopAsync();
        using var _ = terminal;
        Assert.Equal(ExitCodes.NotAllowed, (await stack.RunAsync("retailers", "suspend", retailer, "--profile", "unhcr-ops")).ExitCode);

        var suspended = Json(await OkAsync("retailers", "suspend", retailer, "--profile", "wfp-ops", "--json"));
        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        var refused = await terminal.SellAsync(beneficiary, new Money(500, "JOD"));
        Assert.Equal("rejected", refused.Status);
        Assert.Equal("RetailerSuspended", refused.Reason);

        var reactivated = await OkAsync("retailers", "reactivate", retailer, "--profile", "wfp-ops");
        FitsEightyColumns(reactivated);
        Assert.Contains("Active", reactivated.Output);
        Assert.Equal("committed", (await terminal.SellAsync(beneficiary, new Money(500, "JOD"))).Status);

        var table = await OkAsync("audit", "redemptions", "--retailer", retailer, "--profile", "unwomen-audit");
        FitsEightyColumns(table);
        Assert.Contains("RetailerSuspended", table.Output);
        Assert.Equal(ExitCodes.NotFound, (await stack.RunAsync("retailers", "suspend", "no-such-shop", "--profile", "wfp-ops")).ExitCode);
    }
}
