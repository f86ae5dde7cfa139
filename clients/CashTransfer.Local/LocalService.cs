using CashTransfer.Gateway.Hosting;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace CashTransfer.Local;

/// <summary>
/// The gateway service (CashTransfer.Gateway) hosted in this process on the local stack: Kestrel on a loopback
/// address, SQLite in <c>&lt;data&gt;/gateway</c>, the ledger port over Fabric.Client to the embedded network's
/// peers, and the demo agency's operators and auditor as its signed-request clients. It logs to the console at
/// Warning and above only, so that the command's own output stays readable.
/// </summary>
public sealed class LocalService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmbeddedNetworkIdentities _identities;

    private LocalService(WebApplication app, EmbeddedNetworkIdentities identities, Uri baseAddress)
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
    public static async Task<LocalService> StartAsync(LocalStack stack, DemoAgency agency, string dataDirectory, Uri url, CancellationToken ct)
    {
        if (!url.IsLoopback) throw new ArgumentException($"The local gateway listens on loopback only; {url} is not a loopback address.", nameof(url));
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
        var identities = new EmbeddedNetworkIdentities(stack.Network);
        try
        {
            var (app, baseAddress) = await InProcessGateway.StartAsync(settings,
                new FabricLedgerGateway(identities, stack.Network.ChannelName, LocalStack.ChaincodeName), url.GetLeftPart(UriPartial.Authority),
                logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning), ct);
            return new LocalService(app, identities, baseAddress);
        }
        catch
        {
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
