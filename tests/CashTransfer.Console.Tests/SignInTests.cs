using System.Net;
using System.Security.Cryptography;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CashTransfer.Console.Tests;

/// <summary>Sign-in with the user's key file (signed in the browser), the session cookie, sign-out, and a key the service does not know.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleStack stack)
{
    [Fact]
    public async Task An_operator_signs_in_with_the_key_file_and_sees_the_agency_programmes_with_budget_used()
    {
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.OperatorKeyFile, "operator.html");

        await Expect(page.Locator("#who")).ToHaveTextAsync("operator/wfp-ops · Operator · WFPMSP");
        // The agency's own programme, not the other agency's.
        var programmes = page.Locator("#programme-table tbody");
        await Expect(programmes.Locator("tr", new() { HasText = "demo-wfp-food" })).ToContainTextAsync("Active");
        await Expect(programmes).Not.ToContainTextAsync("demo-unhcr-cash");
        var labels = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.querySelector('#budget-chart')).data.labels");
        Assert.Equal(["demo-wfp-food (JOD)"], labels);
        await Expect(page.Locator("#terminal-table tbody tr")).ToHaveCountAsync(stack.Agency.Terminals.Count);

        // The session cookie is out of the page's scripts' reach and never sent by another site's page.
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == ConsolePages.SessionCookie);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(ConsolePages.SessionCookie, await page.EvaluateAsync<string>("() => document.cookie"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_too()
    {
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.OperatorKeyFile, "operator.html");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == ConsolePages.SessionCookie);

        // Waits for the service's answer to the sign-out itself, not for a time: the page navigates only after it.
        var signOut = await page.RunAndWaitForResponseAsync(() => page.Locator("#sign-out").ClickAsync(),
            r => r.Url.EndsWith("/console/sign-out", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(204, signOut.Status);
        await Expect(page).ToHaveURLAsync(stack.BaseUrl.ToString());
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == ConsolePages.SessionCookie);

        // The old cookie value, replayed, opens nothing.
        using var http = new HttpClient { BaseAddress = stack.BaseUrl };
        http.DefaultRequestHeaders.Add("Cookie", $"{ConsolePages.SessionCookie}={cookie.Value}");
        using (var session = await http.GetAsync("console/session")) Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        using (var programmes = await http.GetAsync("api/operator/programmes")) Assert.Equal(HttpStatusCode.Unauthorized, programmes.StatusCode);
    }

    [Fact]
    public async Task A_key_the_service_does_not_know_is_refused_and_gets_no_session()
    {
        var unknownKey = Path.Combine(stack.DataDirectory, "unknown.key.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256)) await File.WriteAllTextAsync(unknownKey, key.ExportPkcs8PrivateKeyPem());
        // A terminal's key is registered, but for receipts and POS requests, not for the console.
        var terminalKey = Path.Combine(stack.DataDirectory, "demo", stack.Agency.Terminals[0].KeyFile);

        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.OpenSignInAsync(context);
        foreach (var keyFile in new[] { unknownKey, terminalKey })
        {
            await page.Locator("#key-file").SetInputFilesAsync(keyFile);
            await page.Locator("#sign-in").ClickAsync();
            var status = page.Locator("#sign-in-status");
            await Expect(status).ToContainTextAsync("Sign-in refused: This key is not registered with the service as an operator or auditor key");
            await Expect(status).ToHaveAttributeAsync("role", "alert");
            await page.Locator("#sign-in-status").EvaluateAsync("e => e.textContent = ''");
        }
        Assert.Equal(stack.BaseUrl.ToString(), page.Url);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == ConsolePages.SessionCookie);
    }
}
