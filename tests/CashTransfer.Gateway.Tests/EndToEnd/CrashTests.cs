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
        await using var chaincodeServer = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = "cashtransfer_1.0", TlsDisabled = true }, new ContractRouter(Contracts.All()));
        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = "cashtransfer", Address = $"127.0.0.1:{chaincodeServer.Port}" });
        await using var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(data, "network"), Definition = definition });

        using var operatorKey = new TestKey();
        using var auditorKey = new TestKey();
        var environment = ServiceEnvironment(network, data, operatorKey, auditorKey);
        var port = FreePort();
        var service = StartService(environment, port);
        try
        {
            using var op = Client(port, "operator/wfp", operatorKey);
            using var auditor = Client(port, "auditor/wfp", auditorKey);
            await WaitReadyAsync(port);
            var now = DateTimeOffset.UtcNow;
            // The first transactions may meet peers that are still connecting to each other: retry those (same key).
            await Requests.EventuallyAsync(async () => (await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }, "retailer-R-1"))).IsSuccessStatusCode, "the retailer is registered", 60000);
            await Ok(await op.SendAsync(Requests.Post("api/operator/programmes", new
            {
                programmeId = "P-1", budget = new { minor = 100_000_000, currency = "USD" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
                restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
            })));
            var beneficiaries = Enumerable.Range(0, Terminals).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
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
                    var signed = ReceiptEncoding.Sign(new Receipt($"T-{t}-{s:D6}", $"T-{t}", s, previous, beneficiaries[t], new Money(7, "USD"), "food", now.ToUnixTimeMilliseconds()), keys[t].Signer);
                    previous = signed.Hash;
                    receipts.Add(signed);
                }
                using var terminal = Client(port, RequestSignature.TerminalKeyId($"T-{t}"), keys[t]);
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
                service.Kill(entireProcessTree: true); // SIGKILL: no graceful stop, leases and in-flight transactions left behind
                await service.WaitForExitAsync();
                service.Dispose();
                service = StartService(environment, port);
                await WaitReadyAsync(port);
            }
            await WhileProgressingAsync(auditor, total, "after the last restart");

            // On the ledger: each beneficiary paid exactly once per receipt.
            foreach (var (b, t) in beneficiaries.Select((b, t) => (b, t)))
            {
                using var terminal = Client(port, RequestSignature.TerminalKeyId($"T-{t}"), keys[t]);
                var balances = await (await terminal.GetAsync($"api/pos/balances/{b}")).JsonAsync();
                Assert.Equal(1_000_000 - 7 * perTerminal, balances.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());
            }
        }
        finally
        {
            if (!service.HasExited) service.Kill(entireProcessTree: true);
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

    private static HttpClient Client(int port, string keyId, TestKey key) =>
        new(new SigningHandler(keyId, key.Signer) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };

    private static async Task WaitReadyAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Requests.EventuallyAsync(async () =>
        {
            try { return (await http.GetAsync("ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "the service is ready", 60000);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Dictionary<string, string> ServiceEnvironment(EmbeddedNetwork network, string data, TestKey operatorKey, TestKey auditorKey)
    {
        var env = new Dictionary<string, string>
        {
            ["CashTransfer__DataDirectory"] = Path.Combine(data, "gateway"),
            ["CashTransfer__AgencyMsp"] = "WFPMSP",
            ["CashTransfer__Ledger__Provider"] = "Fabric",
            ["CashTransfer__Ledger__Channel"] = network.ChannelName,
            ["CashTransfer__Ledger__Chaincode"] = "cashtransfer",
            ["CashTransfer__Clients__0__KeyId"] = "operator/wfp",
            ["CashTransfer__Clients__0__Role"] = "Operator",
            ["CashTransfer__Clients__0__AgencyMsp"] = "WFPMSP",
            ["CashTransfer__Clients__0__PublicKeyPem"] = operatorKey.PublicKeyPem,
            ["CashTransfer__Clients__1__KeyId"] = "auditor/wfp",
            ["CashTransfer__Clients__1__Role"] = "Auditor",
            ["CashTransfer__Clients__1__AgencyMsp"] = "WFPMSP",
            ["CashTransfer__Clients__1__PublicKeyPem"] = auditorKey.PublicKeyPem,
            ["CashTransfer__Submitter__Concurrency"] = Terminals.ToString(),
            ["CashTransfer__Submitter__BatchSize"] = (4 * Terminals).ToString(),
            ["CashTransfer__Submitter__Lease"] = "00:00:03",
            ["CashTransfer__Submitter__BreakerBreakDuration"] = "00:00:01",
            ["Logging__LogLevel__Default"] = Environment.GetEnvironmentVariable("CASHTRANSFER_CRASH_LOG_LEVEL") ?? "Warning",
        };
        var peer = network.Peers.Single(p => p.MspId == "WFPMSP");
        int i = 0;
        foreach (var role in new[] { "operator", "auditor", "gateway" })
        {
            var user = network.Crypto.PeerOrganization("WFPMSP").UserNamed(char.ToUpperInvariant(role[0]) + role[1..]);
            var file = Path.Combine(data, $"fabric-{role}.json");
            File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(new
            {
                peerEndpoint = peer.Uri.ToString(), tlsCaCertPath = peer.TlsRootCertFile, serverNameOverride = peer.ServerNameOverride,
                mspId = "WFPMSP", certificatePath = user.SignCertificateFile, privateKeyPath = user.PrivateKeyFile, channel = network.ChannelName,
            }));
            env[$"CashTransfer__Ledger__Identities__{i}__AgencyMsp"] = "WFPMSP";
            env[$"CashTransfer__Ledger__Identities__{i}__Role"] = role;
            env[$"CashTransfer__Ledger__Identities__{i}__SettingsFile"] = file;
            i++;
        }
        return env;
    }

    private static Process StartService(Dictionary<string, string> environment, int port)
    {
        var testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar); // .../tests/CashTransfer.Gateway.Tests/bin/<Configuration>/net10.0
        var configuration = new DirectoryInfo(testBin).Parent!.Name;
        var root = new DirectoryInfo(testBin);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CashTransfer.sln"))) root = root.Parent;
        var serviceBin = Path.Combine(root!.FullName, "clients", "CashTransfer.Gateway", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(serviceBin, "CashTransfer.Gateway.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = serviceBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        var log = Path.Combine(environment["CashTransfer__DataDirectory"] + ".log");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (environment) File.AppendAllText(log, e.Data + "\n"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (environment) File.AppendAllText(log, e.Data + "\n"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
