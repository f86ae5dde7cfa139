using System.Net;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;
using CashTransfer.Api.Signing;
using CashTransfer.Api.Client;
using Dapper;
using Npgsql;

namespace CashTransfer.Gateway.Tests.Faults;

/// <summary>
/// Three service processes share one PostgreSQL database (how an agency scales the service) and the embedded network.
/// Terminals upload to all three; one instance is SIGKILLed while it works. Every receipt ends committed exactly once:
/// none rejected, none stuck behind the dead instance's leases, and each beneficiary's balance on the ledger went down
/// by exactly its receipts' sum.
/// </summary>
public sealed class SeveralInstancesTests
{
    private const int Terminals = 9;
    private const int PerTerminal = 60;

    [PostgresFact]
    public async Task Three_instances_one_killed_mid_work_commit_every_receipt_exactly_once()
    {
        var total = Terminals * PerTerminal;
        var data = TempFolder.Create();
        var (chaincodeServer, network) = await GatewayProcess.StartNetworkAsync(data);
        await using var _ = chaincodeServer;
        await using var __ = network;
        using var operatorKey = new TestKey();
        using var auditorKey = new TestKey();
        var connectionString = await FreshSchemaAsync();

        var instances = new List<GatewayProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var environment = GatewayProcess.FabricEnvironment(network, data, operatorKey, auditorKey, gatewayFolder: $"gateway-{i}");
                environment["CashTransfer__Storage__Provider"] = "Postgres";
                environment["CashTransfer__Storage__ConnectionString"] = connectionString;
                environment["CashTransfer__Submitter__Concurrency"] = "4";
                environment["CashTransfer__Submitter__BatchSize"] = "16";
                environment["CashTransfer__Submitter__Lease"] = "00:00:03";
                environment["CashTransfer__Submitter__BreakerBreakDuration"] = "00:00:01";
                environment["CashTransfer__Projection__Enabled"] = (i == 0).ToString(); // one projector is enough for this test's reads
                instances.Add(GatewayProcess.Start(environment));
            }
            foreach (var instance in instances) await instance.WaitReadyAsync();
            var first = instances[0];
            using var op = first.Client("operator/wfp", operatorKey);
            using var auditor = first.Client("auditor/wfp", auditorKey);
            var now = DateTimeOffset.UtcNow;
            await Requests.EventuallyAsync(async () => (await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }, "retailer-R-1"))).IsSuccessStatusCode, "the retailer is registered", 60000);
            Assert.True((await op.SendAsync(Requests.Post("api/operator/programmes", new
            {
                programmeId = "P-1", budget = new { minor = 100_000_000, currency = "USD" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
                restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
            }))).IsSuccessStatusCode);
            var beneficiaries = Enumerable.Range(0, Terminals).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(1000 + i)))).ToList();
            var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
            foreach (var b in beneficiaries) csv.Append(b).Append(",100000\n");
            using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv")))
                await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == Terminals, "entitlements issued", 60000);

            var keys = Enumerable.Range(0, Terminals).Select(_ => new TestKey()).ToList();
            for (var t = 0; t < Terminals; t++)
                Assert.True((await op.SendAsync(Requests.Post("api/operator/terminals", new { terminalId = $"M-{t}", retailerId = "R-1", publicKeyPem = keys[t].PublicKeyPem }))).IsSuccessStatusCode);
            for (var t = 0; t < Terminals; t++)
            {
                var previous = ReceiptEncoding.GenesisHash;
                var receipts = new List<SignedReceipt>();
                for (var s = 1; s <= PerTerminal; s++)
                {
                    var signed = ReceiptEncoding.Sign(new Receipt($"M-{t}:{s:D4}", $"M-{t}", s, previous, beneficiaries[t], new Money(3, "USD"), "food", now.ToUnixTimeMilliseconds()), keys[t].Signer);
                    previous = signed.Hash;
                    receipts.Add(signed);
                }
                using var terminal = instances[t % 3].Client(RequestSignature.TerminalKeyId($"M-{t}"), keys[t]); // each instance takes a third of the uploads
                foreach (var batch in receipts.Chunk(20))
                    Assert.Equal(HttpStatusCode.Accepted, (await terminal.SendAsync(Requests.Post("api/pos/receipt-batches", new { terminalId = $"M-{t}", receipts = batch }))).StatusCode);
            }

            await WhileProgressingAsync(connectionString, total / 4);
            await instances[1].KillAsync(); // SIGKILL mid-work: its leases and stored transactions are left behind
            await WhileProgressingAsync(connectionString, total);

            await using (var db = new NpgsqlConnection(connectionString))
            {
                var counts = (await db.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM outbox GROUP BY status")).ToDictionary(r => r.Status, r => r.Count);
                Assert.Equal(new Dictionary<string, long> { ["committed"] = total }, counts);
            }
            for (var t = 0; t < Terminals; t++)
            {
                using var terminal = first.Client(RequestSignature.TerminalKeyId($"M-{t}"), keys[t]);
                var balances = await (await terminal.GetAsync($"api/pos/balances/{beneficiaries[t]}")).JsonAsync();
                Assert.Equal(100_000 - 3 * PerTerminal, balances.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());
            }
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }

    /// <summary>Waits while the committed count rises until it reaches the target; fails when it stalls.</summary>
    private static async Task WhileProgressingAsync(string connectionString, long target)
    {
        long last = -1;
        var lastChange = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = new NpgsqlConnection(connectionString);
            var rejected = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE status = 'rejected'");
            Assert.Equal(0, rejected);
            var committed = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE status = 'committed'");
            if (committed >= target) return;
            if (committed != last) { last = committed; lastChange.Restart(); }
            else if (lastChange.Elapsed > TimeSpan.FromSeconds(90)) Assert.Fail($"No receipt committed for 90 s: stuck at {committed} of {target}");
            await Task.Delay(500);
        }
    }

    private static async Task<string> FreshSchemaAsync()
    {
        var baseConnection = PostgresFactAttribute.ConnectionString!;
        var schema = "m_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(baseConnection))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE SCHEMA {schema}");
        }
        return new NpgsqlConnectionStringBuilder(baseConnection) { SearchPath = schema }.ToString();
    }
}
