using System.Net;
using System.Text.Json;
using CashTransfer.Cli.Demo;
using CashTransfer.Cli.Serving;
using Spectre.Console;

namespace CashTransfer.Cli.Tests;

/// <summary>
/// What <c>cashtransfer up</c> serves (<see cref="ServedStack"/>): the gateway service on loopback over the embedded
/// network, seeded with the demo agency set; then <c>cashtransfer demo</c> finds that running service through the
/// data directory, drives it with simulated terminals, and every invariant holds.
/// </summary>
public sealed class GatewayServingTests : IDisposable
{
    private static readonly Uri AnyPort = new("http://127.0.0.1:0/");
    private readonly string _data = Directory.CreateTempSubdirectory("cashtransfer-serve-").FullName;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });

    [Fact]
    public async Task Up_serves_the_seeded_gateway_and_the_demo_drives_it_with_every_invariant_holding()
    {
        await using var stack = await ServedStack.StartAsync(_data, AnyPort, _console, CancellationToken.None);
        var url = stack.Gateway.BaseAddress;

        // Health answers without credentials; the API does not.
        using var anonymous = new HttpClient { BaseAddress = url };
        using (var health = await anonymous.GetAsync("health")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var openApi = await anonymous.GetAsync("openapi/v1.json")) Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        using (var unsigned = await anonymous.GetAsync("api/audit/programmes/demo-wfp-food/totals")) Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);

        // The recorded agency names the URL and the credentials; the auditor's signed request reads the seeded programme.
        var agency = DemoAgency.TryLoad(_data)!;
        Assert.True(agency.Seeded);
        Assert.Equal(url.ToString(), agency.GatewayUrl);
        using var auditor = DemoClients.Connect(url, _data, agency.Auditor);
        var totals = await auditor.GetAsync<JsonElement>("api/audit/programmes/demo-wfp-food/totals", CancellationToken.None);
        Assert.Equal(agency.Beneficiaries * 20_000L, totals.GetProperty("issued").GetInt64());

        // Seeding again (as after a crash half way) changes nothing: registrations are there (409), the upload's key is stored.
        await new DemoSeeder(_data, url).EnsureSeededAsync(agency with { Seeded = false }, _ => { }, CancellationToken.None);
        var again = await auditor.GetAsync<JsonElement>("api/audit/programmes/demo-wfp-food/totals", CancellationToken.None);
        Assert.Equal(agency.Beneficiaries * 20_000L, again.GetProperty("issued").GetInt64());

        // `cashtransfer demo` with no URL finds this running service through the data directory.
        var run = await DemoCommand.RunAsync(_data, null, _console, CancellationToken.None);
        Assert.All(run.Invariants, i => Assert.True(i.Passed, $"{i.Name}: {i.Detail}"));
        Assert.All(run.Expectations, e => Assert.True(e.Passed, $"{e.Name}: {e.Detail}"));
        Assert.Equal(5, run.Invariants.Count); // receipts, two programmes, the retailer, the read models
        Assert.Equal(5, run.Expectations.Count); // same-key repeat, new-key replay, settlement, overspend, the auditor's reconciliations (clean, then the planted difference found)
        Assert.Equal(48, run.Receipts);
        var after = await auditor.GetAsync<JsonElement>("api/audit/programmes/demo-wfp-food/totals", CancellationToken.None);
        Assert.Equal(agency.Beneficiaries * 40_000L, after.GetProperty("issued").GetInt64()); // the run issued its own cycle
        Assert.True(after.GetProperty("redeemed").GetInt64() > 0);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
