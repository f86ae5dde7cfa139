extern alias chaincode;
using System.Net;
using CashTransfer.Local;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Api.Signing;
using CashTransfer.Api.Client;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Gateway.Tests.Reconciliation;
using Contracts = chaincode::CashTransfer.Chaincode.CashTransferContracts;

/// <summary>What one reconciliation job produced, read back from its reconciliation.json.</summary>
public sealed record ReconciliationRun(JsonElement Job, JsonElement Report)
{
    public IReadOnlyList<JsonElement> Findings => Report.GetProperty("findings").EnumerateArray().ToList();
    public IReadOnlyList<string> Kinds => Findings.Select(f => f.GetProperty("kind").GetString()!).Order(StringComparer.Ordinal).ToList();
    public bool NeedsAction => Report.GetProperty("needsAction").GetBoolean();
    public IEnumerable<JsonElement> OfKind(string kind) => Findings.Where(f => f.GetProperty("kind").GetString() == kind);
}

/// <summary>
/// The chaincode server, the embedded three-agency network and the gateway service (WFPMSP) for reconciliation
/// scenarios, with the calls an auditor makes: start a reconciliation job with files, wait for it, read its report.
/// </summary>
public sealed class ReconciliationStack : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private EmbeddedNetworkIdentities? _identities;

    public required string Data { get; init; }
    public GatewayFactory Gateway { get; private set; } = null!;
    /// <summary>The embedded network: its peers share this process's ledger, so a test can reach into a peer's world state.</summary>
    public EmbeddedNetwork Network { get; private set; } = null!;
    public ILedgerGateway Ledger { get; private set; } = null!;

    public static async Task<ReconciliationStack> StartAsync()
    {
        var stack = new ReconciliationStack { Data = TempFolder.Create() };
        var server = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = "cashtransfer_1.0", TlsDisabled = true }, new ContractRouter(Contracts.All()));
        stack._owned.Add(server);
        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = "cashtransfer", Address = $"127.0.0.1:{server.Port}" });
        var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(stack.Data, "network"), Definition = definition });
        stack._owned.Insert(0, network);
        stack.Network = network;
        stack._identities = new EmbeddedNetworkIdentities(network);
        stack.Ledger = new FabricLedgerGateway(stack._identities, network.ChannelName, "cashtransfer");
        stack.Gateway = new GatewayFactory(Path.Combine(stack.Data, "gateway"), ledgerPort: stack.Ledger, settings: s =>
        {
            s["CashTransfer:AgencyMsp"] = "WFPMSP";
            s["CashTransfer:Clients:0:AgencyMsp"] = "WFPMSP";
            s["CashTransfer:Clients:2:AgencyMsp"] = "WFPMSP";
            s["CashTransfer:Submitter:CommitWait"] = "00:00:20";
        });
        stack._owned.Insert(0, stack.Gateway);
        return stack;
    }

    /// <summary>Starts a reconciliation job (multipart upload), waits until it finished, and reads its JSON report.</summary>
    public async Task<ReconciliationRun> ReconcileAsync(DateTimeOffset from, DateTimeOffset to, string? payments = null,
        IReadOnlyDictionary<string, string>? journals = null, bool resubmit = false, DateTimeOffset? payableCutOff = null)
    {
        using var auditor = Gateway.AuditorClient();
        using var response = await auditor.SendAsync(Request(from, to, payments, journals, resubmit, payableCutOff));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}");
        var location = response.Headers.Location!.ToString().TrimStart('/');
        JsonElement job = default;
        await Requests.EventuallyAsync(async () =>
        {
            job = await (await auditor.GetAsync(location)).JsonAsync();
            return job.GetProperty("status").GetString() is "completed" or "failed";
        }, "the reconciliation job finished", 120_000);
        Assert.True(job.GetProperty("status").GetString() == "completed", job.ToString());
        using var report = await auditor.GetAsync($"{location}/reconciliation.json");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        return new ReconciliationRun(job, await report.JsonAsync());
    }

    public static HttpRequestMessage Request(DateTimeOffset from, DateTimeOffset to, string? payments = null, IReadOnlyDictionary<string, string>? journals = null,
        bool resubmit = false, DateTimeOffset? payableCutOff = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(from.ToString("O")), "from" },
            { new StringContent(to.ToString("O")), "to" },
            { new StringContent(resubmit ? "true" : "false"), "resubmit" },
        };
        if (payableCutOff is { } cutOff) form.Add(new StringContent(cutOff.ToString("O")), "payableCutOff");
        if (payments is not null) form.Add(File(payments, "text/csv"), "payments", "payments.csv");
        foreach (var (name, text) in journals ?? new Dictionary<string, string>()) form.Add(File(text, "application/x-ndjson"), "journals", name);
        var request = new HttpRequestMessage(HttpMethod.Post, "api/audit/reconciliations") { Content = form };
        request.Headers.Add(RequestSignature.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        return request;
    }

    private static ByteArrayContent File(string text, string type)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var o in _owned) await o.DisposeAsync();
        _identities?.Dispose();
    }

}
