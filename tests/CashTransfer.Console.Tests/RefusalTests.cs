using System.Text.Json;

namespace CashTransfer.Console.Tests;

/// <summary>
/// What the console's session may not do: an auditor's session cannot change anything (the API's role policies apply
/// to sessions as to signed requests), and no change passes without the session's CSRF token.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RefusalTests(ConsoleStack stack)
{
    [Fact]
    public async Task An_auditor_session_cannot_change_anything()
    {
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.AuditorKeyFile, "auditor.html");
        Assert.Equal(0, await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Suspend" }).CountAsync());

        // With a valid session and its CSRF token, the operator API still refuses the auditor's role.
        var (status, problem) = await ConsolePages.PostFromPageAsync(page, "/api/operator/terminals/demo-pos-1/suspend", "session");
        Assert.Equal(403, status);
        Assert.Equal("Not allowed for this role", problem.GetProperty("title").GetString());
        (status, _) = await ConsolePages.PostFromPageAsync(page, "/api/operator/retailers", "session");
        Assert.Equal(403, status);
        Assert.Equal("Active", await TerminalStatusAsync("demo-pos-1"));
    }

    [Fact]
    public async Task A_change_without_the_session_CSRF_token_is_refused()
    {
        await using var context = await stack.NewContextAsync();
        var page = await ConsolePages.SignInAsync(context, stack.OperatorKeyFile, "operator.html");

        foreach (var csrf in new[] { "none", "not-the-session-token" })
        {
            var (status, problem) = await ConsolePages.PostFromPageAsync(page, "/api/operator/terminals/demo-pos-2/suspend", csrf);
            Assert.Equal(403, status);
            Assert.Equal("urn:cashtransfer:problem:csrf-token-invalid", problem.GetProperty("type").GetString());
        }
        // Signing out is a change too.
        Assert.Equal(403, (await ConsolePages.PostFromPageAsync(page, "/console/sign-out", "none")).Status);
        Assert.Equal("Active", await TerminalStatusAsync("demo-pos-2"));

        // The same session with its token may make the change: the refusal was the token's, not the role's.
        var (allowed, _) = await ConsolePages.PostFromPageAsync(page, "/api/operator/terminals/demo-pos-2/suspend", "session");
        Assert.Equal(200, allowed);
        Assert.Equal("Suspended", await TerminalStatusAsync("demo-pos-2"));
        Assert.Equal(200, (await ConsolePages.PostFromPageAsync(page, "/api/operator/terminals/demo-pos-2/reactivate", "session")).Status);
    }

    /// <summary>The terminal's status as the service lists it, read with the operator's signed requests.</summary>
    private async Task<string> TerminalStatusAsync(string terminalId)
    {
        using var operatorApi = stack.OperatorApi();
        var page = await operatorApi.GetAsync<JsonElement>("api/operator/terminals?pageSize=500", CancellationToken.None);
        return page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("terminalId").GetString() == terminalId).GetProperty("status").GetString()!;
    }
}
