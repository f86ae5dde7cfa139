using CashTransfer.Gateway.Ledger;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CashTransfer.Gateway.Hosting;

/// <summary>
/// The gateway service hosted inside another program (`cashtransfer up`, the benchmarks), built as Program.cs builds
/// it, from in-memory settings, with the ledger port given and listening on a loopback URL.
/// </summary>
public static class InProcessGateway
{
    /// <summary>Starts the service; returns it and the address it listens on (ends with '/'; port 0 in the URL picks a free one).</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(IDictionary<string, string?> settings, ILedgerGateway ledger, string url,
        Action<ILoggingBuilder> logging, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayServices).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        builder.WebHost.UseUrls(url);
        builder.Services.AddSingleton(ledger); // before AddGateway, whose own registration only fills a gap
        builder.AddGateway();
        var app = builder.Build();
        try
        {
            await app.UseGatewayAsync();
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(bound.TrimEnd('/') + "/"));
    }
}
