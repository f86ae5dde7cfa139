using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CashTransfer.Console.Tests;

/// <summary>What the tests do in the console the way a user does it, and a few checks made from inside the page.</summary>
public static class ConsolePages
{
    public const string SessionCookie = "cashtransfer-console";

    /// <summary>Opens the console, picks the key file, signs in, and waits until the role's page has loaded its data.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, string keyFile, string expectedPage)
    {
        var page = await OpenSignInAsync(context);
        await page.Locator("#key-file").SetInputFilesAsync(keyFile);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/{System.Text.RegularExpressions.Regex.Escape(expectedPage)}$"));
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        return page;
    }

    public static async Task<IPage> OpenSignInAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/");
        Assert.Equal(200, response!.Status);
        return page;
    }

    /// <summary>A POST from inside the page with the session cookie, with or without the session's CSRF token; the answer's status and problem.</summary>
    public static async Task<(int Status, JsonElement Problem)> PostFromPageAsync(IPage page, string path, string csrf)
    {
        var answer = await page.EvaluateAsync<JsonElement>(
            """
            async ([path, csrf]) => {
              const session = await (await fetch('/console/session')).json();
              const headers = { 'Idempotency-Key': crypto.randomUUID() };
              if (csrf === 'session') headers['X-CSRF-Token'] = session.csrfToken;
              else if (csrf !== 'none') headers['X-CSRF-Token'] = csrf;
              const response = await fetch(path, { method: 'POST', headers });
              return { status: response.status, problem: await response.json().catch(() => null) };
            }
            """, new[] { path, csrf });
        return (answer.GetProperty("status").GetInt32(), answer.GetProperty("problem"));
    }

    /// <summary>Money as the console shows it (here for three-digit currencies such as JOD): "JOD 1,234.500".</summary>
    public static string Money(long minor, string currency) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{currency} {minor / 1000:N0}.{minor % 1000:D3}");

    /// <summary>Saves a screenshot when CASHTRANSFER_SCREENSHOTS names a folder (how the README's pictures are made).</summary>
    public static async Task ScreenshotIfAskedAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("CASHTRANSFER_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
    }
}
