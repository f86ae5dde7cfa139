extern alias chaincode;
using System.Net;
using CashTransfer.Local;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Journal;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Pos.Sync;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;
using FabricGateway = Fabric.Client.Gateway;

namespace CashTransfer.Gateway.Tests.EndToEnd;
// Inside the namespace, so that it wins over the CashTransfer.Contracts namespace.
using Contracts = chaincode::CashTransfer.Chaincode.CashTransferContracts;

/// <summary>
/// The gateway service through Fabric.Client (FabricLedgerGateway) to the embedded Fabric network of three agencies,
/// whose peers run the CashTransfer chaincode as a service: offline POS receipts land exactly once on a real ledger.
/// </summary>
public sealed class EmbeddedNetworkTests
{
    [Fact]
    public async Task Offline_receipts_land_exactly_once_on_the_embedded_network()
    {
        var data = TempFolder.Create();
        await using var chaincodeServer = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = "cashtransfer_1.0", TlsDisabled = true }, new ContractRouter(Contracts.All()));
        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = "cashtransfer", Address = $"127.0.0.1:{chaincodeServer.Port}" });
        await using var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(data, "network"), Definition = definition });
        using var identities = new EmbeddedNetworkIdentities(network);
        var ledger = new FabricLedgerGateway(identities, network.ChannelName, "cashtransfer");

        await using var f = new GatewayFactory(Path.Combine(data, "gateway"), ledgerPort: ledger, settings: s =>
        {
            s["CashTransfer:AgencyMsp"] = "WFPMSP";
            s["CashTransfer:Clients:0:AgencyMsp"] = "WFPMSP";
            s["CashTransfer:Clients:2:AgencyMsp"] = "WFPMSP";
            s["CashTransfer:Submitter:CommitWait"] = "00:00:20";
        });
        using var op = f.OperatorClient();
        using var terminalKey = new TestKey();
        var now = DateTimeOffset.UtcNow;
        async Task Created(HttpResponseMessage r) { using (r) Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}"); }
        await Created(await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } })));
        await Created(await op.SendAsync(Requests.Post("api/operator/terminals", new { terminalId = "T-1", retailerId = "R-1", publicKeyPem = terminalKey.PublicKeyPem })));
        await Created(await op.SendAsync(Requests.Post("api/operator/programmes", new
        {
            programmeId = "P-1", budget = new { minor = 100_000, currency = "USD" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
            restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
        })));
        using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1",
            new StringBuilder("beneficiaryHash,amountMinor\n").Append(Beneficiaries.One).Append(",1000\n").ToString(), "text/csv")))
        {
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
            await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == 1, "the entitlement is issued", 60000);
        }

        await using var journal = await OfflineJournal.OpenAsync(Path.Combine(data, "journal.db"), "T-1", terminalKey.Signer);
        foreach (var amount in new long[] { 300, 300, 300, 300 }) await journal.RecordSaleAsync(Beneficiaries.One, new Money(amount, "USD"), "food");
        using var http = f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId("T-1"), terminalKey.Signer));
        var sync = new SyncClient(new CashTransferClient(http), journal, new SyncOptions { MaxBatchReceipts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) });
        Assert.Equal(new SyncResult(2, 4), await sync.SyncAsync());
        await Requests.EventuallyAsync(async () =>
        {
            await sync.FetchOutcomesAsync();
            return (await journal.OutcomesAsync()).All(o => o.Status is "committed" or "rejected");
        }, "every receipt has its outcome from the network", 90000);

        var outcomes = await journal.OutcomesAsync();
        Assert.Equal(["committed", "committed", "committed", "rejected"], outcomes.Select(o => o.Status));
        Assert.Equal("InsufficientBalance", outcomes[3].Reason);
        using var terminal = f.TerminalClient("T-1", terminalKey);
        var balance = await (await terminal.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(100, balance.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());
        await Requests.EventuallyAsync(async () => (await f.Get<ProjectionRepository>().ListPayablesAsync("R-1")).Count == 3, "the projection sees three payables", 30000);
    }
}
