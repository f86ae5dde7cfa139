using System.Globalization;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace CashTransfer.Console.Tests;

/// <summary>The auditor's dashboard shows what the API says: redemptions per day per programme, payable vs settled, outbox health, reconciliation reports.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditorConsoleTests(ConsoleStack stack)
{
    [Fact]
    public async Task The_auditor_dashboard_shows_daily_redemptions_retailer_balances_and_outbox_health()
    {
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.AuditorKeyFile, "auditor.html");
        await Expect(page.Locator("#who")).ToHaveTextAsync("auditor/unwomen-audit · Auditor · UNWomenMSP");

        // The same 30 UTC days the page asks for by default.
        using var auditor = stack.AuditorApi();
        var today = DateTime.UtcNow.Date;
        var from = today.AddDays(-29).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var to = today.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var daily = (await auditor.GetAsync<JsonElement>($"api/audit/daily-redemptions?from={from}&to={to}", CancellationToken.None)).EnumerateArray().ToList();
        Assert.Contains(daily, d => d.GetProperty("programmeId").GetString() == "demo-wfp-food" && d.GetProperty("redemptions").GetInt64() > 0);
        var dailyRows = page.Locator("#daily-table tbody tr");
        await Expect(dailyRows).ToHaveCountAsync(daily.Count);
        for (var i = 0; i < daily.Count; i++)
        {
            var d = daily[i];
            await Expect(dailyRows.Nth(i)).ToHaveTextAsync(d.GetProperty("day").GetString() + d.GetProperty("programmeId").GetString() + d.GetProperty("redemptions").GetInt64() +
                ConsolePages.Money(d.GetProperty("amountMinor").GetInt64(), d.GetProperty("currency").GetString()!));
        }
        var datasets = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.querySelector('#daily-chart')).data.datasets.map(d => d.label)");
        Assert.Contains("demo-wfp-food (JOD)", datasets);

        // The demo settled with its retailer, and more sales came after: both figures are on the page as the API gives them.
        var balances = (await auditor.GetAsync<JsonElement>("api/audit/retailers/balances", CancellationToken.None)).GetProperty("items").EnumerateArray().ToList();
        var shop = balances.Single(b => b.GetProperty("retailerId").GetString() == stack.Agency.RetailerId);
        Assert.True(shop.GetProperty("settledMinor").GetInt64() > 0);
        await Expect(page.Locator("#balance-table tbody tr", new() { HasText = stack.Agency.RetailerId })).ToHaveTextAsync(
            $"{stack.Agency.RetailerId} (JOD)" + ConsolePages.Money(shop.GetProperty("payableMinor").GetInt64(), "JOD") + ConsolePages.Money(shop.GetProperty("settledMinor").GetInt64(), "JOD"));

        // Outbox health: every status the service counts, with its count.
        var outbox = await auditor.GetAsync<Dictionary<string, long>>("api/audit/outbox", CancellationToken.None);
        Assert.True(outbox.GetValueOrDefault("committed") > 0);
        foreach (var (status, count) in outbox)
            await Expect(page.Locator("#outbox-table tbody tr", new() { HasText = status })).ToHaveTextAsync($"{status}{count}");

        // Reconciliation reports: each run the service lists, with its verdict, and for a finished one links to its reports.
        // The demo ran a clean reconciliation and one with a planted payment difference.
        var jobs = (await auditor.GetAsync<JsonElement>("api/audit/reconciliations", CancellationToken.None)).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(jobs, j => j.GetProperty("status").GetString() == "completed" && !j.GetProperty("needsAction").GetBoolean());
        Assert.Contains(jobs, j => j.GetProperty("status").GetString() == "completed" && j.GetProperty("needsAction").GetBoolean());
        var rows = page.Locator("#reconciliation-table tbody tr");
        await Expect(rows).ToHaveCountAsync(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var links = rows.Nth(i).Locator("a");
            var reports = job.GetProperty("reports").EnumerateArray().Select(r => r.GetString()!).ToList();
            await Expect(links).ToHaveCountAsync(reports.Count);
            for (var l = 0; l < reports.Count; l++) await Expect(links.Nth(l)).ToHaveAttributeAsync("href", reports[l]);
            if (job.GetProperty("status").GetString() == "completed")
                await Expect(rows.Nth(i)).ToContainTextAsync(job.GetProperty("needsAction").GetBoolean() ? "Action needed" : "Reconciled");
        }
        await Expect(page.Locator("#reconciliation-status")).ToHaveTextAsync(
            $"{jobs.Count(j => j.GetProperty("status").GetString() == "completed")} finished reconciliation(s), {jobs.Count(j => j.GetProperty("needsAction").ValueKind == JsonValueKind.True)} needing action.");
        // A report link opens the report the service serves, with the session cookie.
        var html = rows.Locator("a", new() { HasText = "HTML report" }).First;
        var report = await page.APIRequest.GetAsync((await html.GetAttributeAsync("href"))!);
        Assert.Equal(200, report.Status);
        Assert.StartsWith("text/html", report.Headers["content-type"]);
        await ConsolePages.ScreenshotIfAskedAsync(page, "console-auditor.png");
    }
}
