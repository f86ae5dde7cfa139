using Spectre.Console;

namespace CashTransfer.Local;

/// <summary>
/// The whole local system in one process: chaincode, embedded three-agency network (<see cref="LocalStack"/>) and
/// the gateway service on a loopback URL, seeded once with the demo agency set. The URL it serves at is recorded in
/// the data directory's agency file, where <c>cashtransfer demo</c> looks for a running service.
/// </summary>
public sealed class ServedStack : IAsyncDisposable
{
    /// <summary>The gateway's default address: loopback only, a fixed port so that the URL is the same every time.</summary>
    public static readonly Uri DefaultGatewayUrl = new("http://127.0.0.1:5080/");

    private ServedStack(LocalStack local, LocalService gateway, DemoAgency agency, string dataDirectory)
    {
        Local = local;
        Gateway = gateway;
        Agency = agency;
        DataDirectory = dataDirectory;
    }

    public LocalStack Local { get; }
    public LocalService Gateway { get; }
    public DemoAgency Agency { get; }
    public string DataDirectory { get; }

    public static async Task<ServedStack> StartAsync(string dataDirectory, Uri gatewayUrl, IAnsiConsole console, CancellationToken ct)
    {
        var local = await LocalStack.StartAsync(dataDirectory, console);
        LocalService? gateway = null;
        try
        {
            var agency = DemoAgency.LoadOrCreate(dataDirectory);
            if (agency.Seeded && local.Network.Ledger.Height <= 1)
                throw new InvalidOperationException($"The ledger in {Path.Combine(dataDirectory, "network")} is new, but the gateway and demo data beside it were seeded on an " +
                    "earlier ledger. Run `make reset` (cashtransfer reset) to start afresh, or restore the network folder.");
            gateway = await LocalService.StartAsync(local, agency, dataDirectory, gatewayUrl, ct);
            console.MarkupLine($"[green]gateway[/] service listening on {gateway.BaseAddress}");
            agency = agency with { GatewayUrl = gateway.BaseAddress.ToString() };
            agency.Save(dataDirectory);
            if (!agency.Seeded)
            {
                await console.Status().StartAsync("Seeding the demo agency set through the gateway API", async status =>
                    agency = await new DemoSeeder(dataDirectory, gateway.BaseAddress).EnsureSeededAsync(agency, step => status.Status($"Seeding: {Markup.Escape(step)}"), ct));
                console.MarkupLine($"[green]seeded[/] retailer {agency.RetailerId}, {agency.Terminals.Count} terminals, {agency.Programmes.Count} programmes, {agency.Beneficiaries} beneficiaries");
            }
            else
            {
                console.MarkupLine("[grey]demo agency set already seeded in this data directory[/]");
            }
            return new ServedStack(local, gateway, agency, dataDirectory);
        }
        catch
        {
            if (gateway is not null) await gateway.DisposeAsync();
            await local.DisposeAsync();
            throw;
        }
    }

    public void PrintGateway(IAnsiConsole console)
    {
        var table = new Table().Title("Gateway service (signed requests; see clients/CashTransfer.Gateway/README.md)").AddColumns("what", "where");
        table.AddRow("API base", Gateway.BaseAddress.ToString());
        table.AddRow("[bold]web console[/]", $"[bold]{Markup.Escape(Gateway.BaseAddress.ToString())}[/] (open it in a browser)");
        table.AddRow("  sign in as operator with", Markup.Escape(DemoAgency.Resolve(DataDirectory, Agency.Operator(Agency.GatewayAgencyMsp).KeyFile)));
        table.AddRow("  sign in as auditor with", Markup.Escape(DemoAgency.Resolve(DataDirectory, Agency.Auditor.KeyFile)));
        table.AddRow("OpenAPI document", Gateway.OpenApi.ToString());
        table.AddRow("health / readiness", $"{Gateway.Health} / {Gateway.Ready}");
        table.AddRow("demo credentials", Markup.Escape(Path.Combine(DemoAgency.DirectoryOf(DataDirectory), "credentials")) + " (keys), " + Markup.Escape(DemoAgency.PathOf(DataDirectory)) + " (key ids, roles)");
        foreach (var client in Agency.Clients)
            table.AddRow($"  {client.Role.ToString().ToLowerInvariant()}", $"{client.KeyId} ({client.AgencyMsp})");
        table.AddRow("  terminals", string.Join(", ", Agency.Terminals.Select(t => DemoAgency.TerminalKeyId(t.TerminalId))));
        console.Write(table);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Local.DisposeAsync();
    }
}
