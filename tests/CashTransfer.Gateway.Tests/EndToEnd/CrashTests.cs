extern alias chaincode;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;

namespace CashTransfer.Gateway.Tests.EndToEnd;
// Inside the namespace, so that it wins over the CashTransfer.Contracts namespace.
using Contracts = chaincode::CashTransfer.Chaincode.CashTransferContracts;

/// <summary>
/// Kills the gateway service process (SIGKILL) twice while it submits a batch of 10,000 receipts (40 terminals, uploaded
/// in batches of at most 500) to the embedded network, restarts it on the same data directory each time, and checks that every
/// acknowledged receipt ends committed exactly once: none rejected, and the beneficiaries' balances on the ledger went
/// down by exactly the receipts' sum. CASHTRANSFER_CRASH_RECEIPTS sets another size. The service's log is written
/// beside its data directory (gateway.log).
/// </summary>
public sealed class CrashTests
{
    private const int Terminals = 40;
    private const int BatchSize = 500;

    [Fact]
    public async Task A_killed_and_restarted_service_commits_every_receipt_exactly_once()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("CASHTRANSFER_CRASH_RECEIPTS"), out var n) ? n : 10_000;
        var perTerminal = total / Terminals;
        var data = TempFolder.Create();
        var (chaincodeServer, network) = await GatewayProcess.StartNetworkAsync(data);
        await using var _ = chaincodeServer;
        await using var __ = network;

        using var operatorKey = new TestKey();
        using var auditorKey = new TestKey();
        var environment = GatewayProcess.FabricEnvironment(network, data, operatorKey, auditorKey);
        environment["CashTransfer__Submitter__Concurrency"] = Terminals.ToString();
        environment["CashTransfer__Submitter__BatchSize"] = (4 * Terminals).ToString();
        environment["CashTransfer__Submitter__Lease"] = "00:00:03";
        environment["CashTransfer__Submitter__BreakerBreakDuration"] = "00:00:01";
        var service = GatewayProcess.Start(environment);
        var port = service.Port;
        try
        {
            using var op = service.Client("operator/wfp", operatorKey);
            using var auditor = service.Client("auditor/wfp", auditorKey);
            await service.WaitReadyAsync();
            var now = DateTimeOffset.UtcNow;
            // The first transactions may meet peers that are still connecting to each other: retry those (same key).
            await Requests.EventuallyAsync(async () => (await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }, "retailer-R-1"))).IsSuccessStatusCode, "the retailer is registered", 60000);
            await Ok(await op.SendAsync(Requests.Post("api/operator/programmes", new
            {
                programmeId = "P-1", budget = new { minor = 100_000_000, currency = "USD" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
                restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
            })));
            var beneficiaries = Enumerable.Range(0, Terminals).Select(Beneficiaries.Numbered).ToList();
            var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
            foreach (var b in beneficiaries) csv.Append(b).Append(",1000000\n");
            using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv")))
                await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == Terminals, "entitlements issued", 60000);

            var keys = Enumerable.Range(0, Terminals).Select(_ => new TestKey()).ToList();
            for (int t = 0; t < Terminals; t++)
                await Ok(await op.SendAsync(Requests.Post("api/operator/terminals", new { terminalId = $"T-{t}", retailerId = "R-1", publicKeyPem = keys[t].PublicKeyPem })));
            for (int t = 0; t < Terminals; t++)
            {
                var previous = ReceiptEncoding.GenesisHash;
                var receipts = new List<SignedReceipt>();
                for (int s = 1; s <= perTerminal; s++)
                {
                    var signed = ReceiptEncoding.Sign(new Receipt($"T-{t}:{s:D6}", $"T-{t}", s, previous, beneficiaries[t], new Money(7, "USD"), "food", now.ToUnixTimeMilliseconds()), keys[t].Signer);
                    previous = signed.Hash;
                    receipts.Add(signed);
                }
                using var terminal = service.Client(RequestSignature.TerminalKeyId($"T-{t}"), keys[t]);
                foreach (var batch in receipts.Chunk(BatchSize)) // one hash chain across the terminal's batches, as a terminal syncs
                {
                    using var ack = await terminal.SendAsync(Requests.Post("api/pos/receipt-batches", new { terminalId = $"T-{t}", receipts = batch }));
                    Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
                }
            }

            // Kill twice in the middle of the work, restarting on the same data directory each time.
            for (int crash = 1; crash <= 2; crash++)
            {
                var target = total * crash / 3;
                await WhileProgressingAsync(auditor, target, $"before crash {crash}");
                await service.KillAsync(); // SIGKILL: no graceful stop, leases and in-flight transactions left behind
                service.Dispose();
                service = GatewayProcess.Start(environment, port);
                await service.WaitReadyAsync();
            }
            await WhileProgressingAsync(auditor, total, "after the last restart");

            // On the ledger: each beneficiary paid exactly once per receipt.
            foreach (var (b, t) in beneficiaries.Select((b, t) => (b, t)))
            {
                using var terminal = service.Client(RequestSignature.TerminalKeyId($"T-{t}"), keys[t]);
                var balances = await (await terminal.GetAsync($"api/pos/balances/{b}")).JsonAsync();
                Assert.Equal(1_000_000 - 7 * perTerminal, balances.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());
            }
        }
        finally
        {
            service.Dispose();
        }
    }

    /// <summary>
    /// Waits until <paramref name="target"/> receipts are committed for as long as the count keeps rising: a slow machine
    /// only makes this longer, while a submitter that stops making progress fails the test.
    /// </summary>
    private static async Task WhileProgressingAsync(HttpClient auditor, long target, string when)
    {
        var stall = TimeSpan.FromSeconds(90);
        long last = -1;
        var lastChange = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var committed = await CommittedAsync(auditor);
            if (committed >= target) return;
            if (committed != last) { last = committed; lastChange.Restart(); }
            else if (lastChange.Elapsed > stall)
                Assert.Fail($"No receipt committed for {stall.TotalSeconds:0} s {when}: stuck at {committed} of {target}");
            await Task.Delay(500);
        }
    }

    private static async Task<long> CommittedAsync(HttpClient auditor)
    {
        try
        {
            var counts = await (await auditor.GetAsync("api/audit/outbox")).JsonAsync();
            Assert.False(counts.TryGetProperty("rejected", out _), "no receipt may be rejected: " + counts);
            return counts.TryGetProperty("committed", out var c) ? c.GetInt64() : 0;
        }
        catch (HttpRequestException)
        {
            return 0; // restarting
        }
    }

    private static async Task Ok(HttpResponseMessage response)
    {
        using (response) Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
