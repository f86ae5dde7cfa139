using System.Text.Json;
using CashTransfer.Cli.Demo;
using CashTransfer.Api.Client;
using CashTransfer.Local;
using Microsoft.Playwright;
using Spectre.Console;

namespace CashTransfer.Console.Tests;

/// <summary>
/// What the browser tests run against: the whole local system as <c>make run</c> serves it (embedded three-agency
/// network, chaincode, gateway service seeded with the demo agency set, on a free loopback port), one
/// <c>cashtransfer demo</c> run so that there are redemptions and a settlement to show, and Debian's Chromium.
/// Each test opens its own browser context (its own cookies).
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    /// <summary>Debian's Chromium, as the Makefile installs it.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly string _data = Directory.CreateTempSubdirectory("cashtransfer-console-").FullName;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
    private ServedStack? _stack;
    private IPlaywright? _playwright;

    public Uri BaseUrl => _stack!.Gateway.BaseAddress;
    public string DataDirectory => _data;
    public DemoAgency Agency => _stack!.Agency;
    public IBrowser Browser { get; private set; } = null!;

    public string OperatorKeyFile => DemoAgency.Resolve(_data, Agency.Operator(Agency.GatewayAgencyMsp).KeyFile);
    public string AuditorKeyFile => DemoAgency.Resolve(_data, Agency.Auditor.KeyFile);

    /// <summary>The operator's and auditor's signed-request clients, to check through the API what the pages did.</summary>
    public CashTransferClient OperatorApi() => DemoClients.Connect(BaseUrl, _data, Agency.Operator(Agency.GatewayAgencyMsp));
    public CashTransferClient AuditorApi() => DemoClients.Connect(BaseUrl, _data, Agency.Auditor);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: `make test` installs Debian's chromium package (apt-get install chromium).");
        _stack = await ServedStack.StartAsync(_data, new Uri("http://127.0.0.1:0/"), _console, CancellationToken.None);
        var run = await DemoCommand.RunAsync(_data, null, _console, CancellationToken.None);
        if (run.Receipts == 0) throw new InvalidOperationException("The demo run made no redemptions; the dashboard tests need some.");
        await WaitForReadModelAsync();
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>
    /// Waits until the service's payables read model has caught up with the ledger's payables of the demo retailer, so
    /// that a page and a later API read see the same figures (the projection follows the ledger's events a moment later).
    /// </summary>
    private async Task WaitForReadModelAsync()
    {
        using var auditor = AuditorApi();
        for (var attempt = 0; ; attempt++)
        {
            var ledger = await auditor.GetAsync<JsonElement>($"api/audit/payables/{Agency.RetailerId}?pageSize=1000", CancellationToken.None);
            var view = await auditor.GetAsync<JsonElement>($"api/audit/read-models/payables/{Agency.RetailerId}", CancellationToken.None);
            if (ledger.GetProperty("items").GetArrayLength() == view.GetArrayLength() && string.IsNullOrEmpty(ledger.GetProperty("bookmark").GetString())) return;
            if (attempt == 240) throw new TimeoutException("The payables read model did not catch up with the ledger.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>A fresh browser context (no cookies) with generous timeouts: the ledger commits take a moment on a busy machine.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl.ToString(), ViewportSize = new() { Width = 1366, Height = 900 }, AcceptDownloads = true });
        context.SetDefaultTimeout(60_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_stack is not null) await _stack.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "web console";
}
