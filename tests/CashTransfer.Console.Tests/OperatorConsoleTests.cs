using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace CashTransfer.Console.Tests;

/// <summary>An operator's changes through the console: an entitlement upload followed live, and a terminal suspended and reactivated.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OperatorConsoleTests(ConsoleStack stack)
{
    [Fact]
    public async Task An_entitlement_upload_shows_its_progress_and_offers_the_results()
    {
        const int rows = 300;
        const long amountMinor = 500;
        var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
        for (var i = 0; i < rows; i++) csv.Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"console-upload/{i}")))).Append(',').Append(amountMinor).Append('\n');
        csv.Append("not-a-keyed-hash,100\n"); // one row the service refuses
        var file = Path.Combine(stack.DataDirectory, "console-upload.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        using var operatorApi = stack.OperatorApi();
        var issuedBefore = await IssuedAsync(operatorApi);

        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.OperatorKeyFile, "operator.html");
        // Every text the progress line shows, in order.
        await page.EvaluateAsync("""
            () => {
              const counts = document.querySelector('#upload-counts');
              window.progressSeen = [];
              new MutationObserver(() => window.progressSeen.push(counts.textContent)).observe(counts, { childList: true, characterData: true, subtree: true });
            }
            """);
        await page.Locator("#upload-programme").SelectOptionAsync("demo-wfp-food");
        await page.Locator("#upload-cycle").FillAsync("console-test");
        await page.Locator("#upload-file").SetInputFilesAsync(file);
        await page.Locator("#upload-start").ClickAsync();

        await Expect(page.Locator("#upload-counts")).ToHaveTextAsync($"completed: {rows + 1} of {rows + 1} rows processed · {rows} issued · 1 failed", new() { Timeout = 180_000 });
        Assert.Equal(rows + 1, await page.Locator("#upload-bar").EvaluateAsync<int>("bar => bar.value"));
        Assert.Equal(rows + 1, await page.Locator("#upload-bar").EvaluateAsync<int>("bar => bar.max"));
        var seen = await page.EvaluateAsync<string[]>("() => window.progressSeen");
        Assert.StartsWith("Sending:", seen[0]);
        var processed = seen.Where(s => !s.StartsWith("Sending:")).Select(s => int.Parse(s.Split(": ")[1].Split(' ')[0])).ToList();
        Assert.Equal(processed.Order(), processed); // progress only moves forward
        Assert.Equal(rows + 1, processed[^1]);

        // The results file: one line per row, the refused one says why.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#upload-results").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).ToList();
        Assert.Equal("row,outcome,message", lines[0]);
        Assert.Equal(rows + 1, lines.Count - 1);
        Assert.Equal(rows, lines.Count(l => l.Split(',')[1] == "Issued"));
        Assert.StartsWith($"{rows},Invalid,", lines[^1]); // rows are numbered from 0

        // The ledger's budget record moved by exactly what was issued, and the page shows the new figure.
        var issuedAfter = await IssuedAsync(operatorApi);
        Assert.Equal(issuedBefore + rows * amountMinor, issuedAfter);
        await Expect(page.Locator("#programme-table tbody tr", new() { HasText = "demo-wfp-food" })).ToContainTextAsync(ConsolePages.Money(issuedAfter, "JOD"));
        await ConsolePages.ScreenshotIfAskedAsync(page, "console-operator.png");
    }

    [Fact]
    public async Task An_operator_suspends_a_terminal_and_reactivates_it()
    {
        const string terminalId = "demo-pos-6";
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.OperatorKeyFile, "operator.html");
        var row = page.Locator("#terminal-table tbody tr", new() { HasText = terminalId });
        await Expect(row).ToContainTextAsync("Active");

        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(page.Locator("#retailer-status")).ToHaveTextAsync($"Terminal {terminalId} is now Suspended.");
        await Expect(row).ToContainTextAsync("Suspended");
        Assert.Equal("Suspended", await LedgerTerminalStatusAsync(terminalId));

        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
        await Expect(page.Locator("#retailer-status")).ToHaveTextAsync($"Terminal {terminalId} is now Active.");
        Assert.Equal("Active", await LedgerTerminalStatusAsync(terminalId));
    }

    [Fact]
    public async Task An_operator_registers_a_retailer_suspends_it_and_reactivates_it()
    {
        var retailerId = $"console-shop-{Guid.NewGuid():N}"[..24];
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.OperatorKeyFile, "operator.html");
        await page.Locator("#retailer-id").FillAsync(retailerId);
        await page.Locator("#retailer-categories").FillAsync("food");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Register retailer" }).ClickAsync();
        var row = page.Locator("#retailer-table tbody tr", new() { HasText = retailerId });
        await Expect(row).ToContainTextAsync("Active", new() { Timeout = 30_000 });

        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(page.Locator("#retailer-status")).ToHaveTextAsync($"Retailer {retailerId} is now Suspended.");
        await Expect(row).ToContainTextAsync("Suspended");
        Assert.Equal("Suspended", await LedgerStatusAsync("Retailer", retailerId));

        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
        await Expect(page.Locator("#retailer-status")).ToHaveTextAsync($"Retailer {retailerId} is now Active.");
        Assert.Equal("Active", await LedgerStatusAsync("Retailer", retailerId));
    }

    private static async Task<long> IssuedAsync(CashTransfer.Api.Client.CashTransferClient operatorApi)
    {
        var page = await operatorApi.GetAsync<JsonElement>("api/operator/programmes", CancellationToken.None);
        return page.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("programmeId").GetString() == "demo-wfp-food").GetProperty("issuedMinor").GetInt64();
    }

    private Task<string> LedgerTerminalStatusAsync(string terminalId) => LedgerStatusAsync("Terminal", terminalId);

    /// <summary>A terminal's or retailer's status as the ledger holds it (newest version of its record), read by the auditor.</summary>
    private async Task<string> LedgerStatusAsync(string recordType, string id)
    {
        using var auditor = stack.AuditorApi();
        var history = await auditor.GetAsync<JsonElement>($"api/audit/history/{recordType}?key={id}&pageSize=1", CancellationToken.None);
        return history.GetProperty("items")[0].GetProperty("value").GetProperty("status").GetString()!;
    }
}
