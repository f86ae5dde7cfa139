using CashTransfer.Cli.Demo;
using CashTransfer.Cli.Local;
using CashTransfer.Gateway;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CashTransfer.Cli.Serving;

/// <summary>
/// The gateway service (CashTransfer.Gateway) hosted in this process on the local stack: Kestrel on a loopback
/// address, SQLite in <c>&lt;data&gt;/gateway</c>, the ledger port over Fabric.Client to the embedded network's
/// peers, and the demo agency's operators and auditor as its signed-request clients. It logs to the console at
/// Warning and above only, so that the command's own output stays readable.
/// </summary>
public sealed class GatewayService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmbeddedNetworkIdentities _identities;

    private GatewayService(WebApplication app, EmbeddedNetworkIdentities identities, Uri baseAddress)
    {
        _app = app;
        _identities = identities;
        BaseAddress = baseAddress;
    }

    /// <summary>The API base (ends with '/').</summary>
    public Uri BaseAddress { get; }

    public Uri OpenApi => new(BaseAddress, "openapi/v1.json");
    public Uri Health => new(BaseAddress, "health");
    public Uri Ready => new(BaseAddress, "ready");

    /// <summary>Starts the service on <paramref name="url"/> (http://127.0.0.1:port; port 0 picks a free one).</summary>
    public static async Task<GatewayService> StartAsync(LocalStack stack, DemoAgency agency, string dataDirectory, Uri url, CancellationToken ct)
    {
        if (!url.IsLoopback) throw new ArgumentException($"The local gateway listens on loopback only; {url} is not a loopback address.", nameof(url));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayServices).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        var settings = new Dictionary<string, string?>
        {
            ["CashTransfer:DataDirectory"] = Path.Combine(dataDirectory, "gateway"),
            ["CashTransfer:AgencyMsp"] = agency.GatewayAgencyMsp,
            ["CashTransfer:Storage:Provider"] = "Sqlite",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        for (var i = 0; i < agency.Clients.Count; i++)
        {
            var client = agency.Clients[i];
            settings[$"CashTransfer:Clients:{i}:KeyId"] = client.KeyId;
            settings[$"CashTransfer:Clients:{i}:Role"] = client.Role.ToString();
            settings[$"CashTransfer:Clients:{i}:AgencyMsp"] = client.AgencyMsp;
            settings[$"CashTransfer:Clients:{i}:PublicKeyPem"] = DemoAgency.PublicKeyPem(dataDirectory, client.KeyFile);
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));

        // The ledger port is registered before AddGateway, whose own registration only fills a gap.
        var identities = new EmbeddedNetworkIdentities(stack.Network);
        builder.Services.AddSingleton<ILedgerGateway>(new FabricLedgerGateway(identities, stack.Network.ChannelName, LocalStack.ChaincodeName));
        builder.AddGateway();
        var app = builder.Build();
        try
        {
            await app.UseGatewayAsync();
            await app.StartAsync(ct);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new GatewayService(app, identities, new Uri(bound.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            identities.Dispose();
            throw;
        }
    }

    /// <summary>Stops taking requests, lets the background workers finish what they hold, then closes the ledger connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _identities.Dispose();
    }
}
