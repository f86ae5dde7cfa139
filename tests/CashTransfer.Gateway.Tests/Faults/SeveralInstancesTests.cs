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
    private const int Total = Terminals * PerTerminal;

    [PostgresFact]
    public async Task Three_instances_one_killed_mid_work_commit_every_receipt_exactly_once()
    {
        await using var cluster = await Cluster.StartAsync(projectOn: i => i == 0); // one projector is enough for this test's reads
        await cluster.UploadAsync();
        await WhileProgressingAsync(cluster.ConnectionString, Total / 4);
        await cluster.Instances[1].KillAsync(); // SIGKILL mid-work: its leases and stored transactions are left behind
        await WhileProgressingAsync(cluster.ConnectionString, Total);

        await using (var db = new NpgsqlConnection(cluster.ConnectionString))
        {
            var counts = (await db.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM outbox GROUP BY status")).ToDictionary(r => r.Status, r => r.Count);
            Assert.Equal(new Dictionary<string, long> { ["committed"] = Total }, counts);
        }
        for (var t = 0; t < Terminals; t++)
        {
            using var terminal = cluster.Instances[0].Client(RequestSignature.TerminalKeyId($"M-{t}"), cluster.Keys[t]);
            var balances = await (await terminal.GetAsync($"api/pos/balances/{cluster.Beneficiaries[t]}")).JsonAsync();
            Assert.Equal(100_000 - 3 * PerTerminal, balances.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());
        }
    }

    /// <summary>
    /// Every instance projects the chaincode's events into the one database, and one of them is SIGKILLed mid-work while a
    /// settlement lands between redemptions: the read models must still end equal to the ledger, each event applied once
    /// and in order (a redemption applied again after the settlement would bring its settled payable back).
    /// </summary>
    [PostgresFact]
    public async Task Three_projecting_instances_one_killed_mid_work_leave_read_models_equal_to_the_ledger()
    {
        await using var cluster = await Cluster.StartAsync(projectOn: _ => true);
        await cluster.UploadAsync();
        await WhileProgressingAsync(cluster.ConnectionString, Total / 3);
        using var op = cluster.Instances[0].Client("operator/wfp", cluster.OperatorKey);
        var cutOff = DateTimeOffset.UtcNow;
        // A settlement reads the payables that redemptions are writing: a read conflict is retried; 409 means an earlier attempt got through.
        await Requests.EventuallyAsync(async () =>
        {
            using var settled = await op.SendAsync(Requests.Post("api/operator/settlements", new { settlementId = "S-1", retailerId = "R-1", cutOff, paymentReference = "PAY-1" }));
            return settled.IsSuccessStatusCode || settled.StatusCode == HttpStatusCode.Conflict;
        }, "the settlement is recorded", 60000);
        await cluster.Instances[1].KillAsync(); // SIGKILL a projector mid-work
        await WhileProgressingAsync(cluster.ConnectionString, Total);

        using var auditor = cluster.Instances[0].Client("auditor/wfp", cluster.AuditorKey);
        var ledgerPayables = new List<string>();
        var bookmark = "";
        do
        {
            var page = await (await auditor.GetAsync($"api/audit/payables/R-1?pageSize=1000&bookmark={Uri.EscapeDataString(bookmark)}")).JsonAsync();
            ledgerPayables.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("redemptionId").GetString()!));
            bookmark = page.GetProperty("bookmark").GetString() ?? "";
        } while (bookmark.Length > 0);
        Assert.InRange(ledgerPayables.Count, 1, Total - 1); // the settlement paid some, not all

        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await Requests.EventuallyAsync(async () => await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM receipt_status_view WHERE ledger_status = 'Accepted'") == Total
            && (await db.QueryAsync<string>("SELECT redemption_id FROM payable_view WHERE retailer_id = 'R-1' ORDER BY redemption_id")).SequenceEqual(ledgerPayables.Order(StringComparer.Ordinal)),
            "the read models equal the ledger: every receipt accepted, the payables exactly the ledger's unsettled ones", 90000);
        Assert.Equal(Total, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM receipt_status_view"));
    }

    /// <summary>The embedded network and three service processes on one new PostgreSQL schema, with a retailer, a programme, entitlements and terminals.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];
        public List<GatewayProcess> Instances { get; } = [];
        public string ConnectionString { get; private init; } = "";
        public TestKey OperatorKey { get; } = new();
        public TestKey AuditorKey { get; } = new();
        public List<TestKey> Keys { get; } = Enumerable.Range(0, Terminals).Select(_ => new TestKey()).ToList();
        public List<string> Beneficiaries { get; } = Enumerable.Range(0, Terminals)
            .Select(i => Infrastructure.Beneficiaries.Numbered(1000 + i)).ToList();

        public static async Task<Cluster> StartAsync(Func<int, bool> projectOn)
        {
            var data = TempFolder.Create();
            var cluster = new Cluster { ConnectionString = await FreshSchemaAsync() };
            try
            {
                var (chaincodeServer, network) = await GatewayProcess.StartNetworkAsync(data);
                cluster._owned.Add(chaincodeServer);
                cluster._owned.Add(network);
                for (var i = 0; i < 3; i++)
                {
                    var environment = GatewayProcess.FabricEnvironment(network, data, cluster.OperatorKey, cluster.AuditorKey, gatewayFolder: $"gateway-{i}");
                    environment["CashTransfer__Storage__Provider"] = "Postgres";
                    environment["CashTransfer__Storage__ConnectionString"] = cluster.ConnectionString;
                    environment["CashTransfer__Submitter__Concurrency"] = "4";
                    environment["CashTransfer__Submitter__BatchSize"] = "16";
                    environment["CashTransfer__Submitter__Lease"] = "00:00:03";
                    environment["CashTransfer__Submitter__BreakerBreakDuration"] = "00:00:01";
                    environment["CashTransfer__Projection__Enabled"] = projectOn(i).ToString();
                    cluster.Instances.Add(GatewayProcess.Start(environment));
                }
                foreach (var instance in cluster.Instances) await instance.WaitReadyAsync();
                await cluster.SeedAsync();
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        private async Task SeedAsync()
        {
            using var op = Instances[0].Client("operator/wfp", OperatorKey);
            var now = DateTimeOffset.UtcNow;
            await Requests.EventuallyAsync(async () => (await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }, "retailer-R-1"))).IsSuccessStatusCode, "the retailer is registered", 60000);
            Assert.True((await op.SendAsync(Requests.Post("api/operator/programmes", new
            {
                programmeId = "P-1", budget = new { minor = 100_000_000, currency = "USD" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
                restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
            }))).IsSuccessStatusCode);
            var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
            foreach (var b in Beneficiaries) csv.Append(b).Append(",100000\n");
            using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv")))
                await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == Terminals, "entitlements issued", 60000);
            for (var t = 0; t < Terminals; t++)
                Assert.True((await op.SendAsync(Requests.Post("api/operator/terminals", new { terminalId = $"M-{t}", retailerId = "R-1", publicKeyPem = Keys[t].PublicKeyPem }))).IsSuccessStatusCode);
        }

        /// <summary>Each terminal's receipts, uploaded in batches of 20; each instance takes a third of the terminals.</summary>
        public async Task UploadAsync()
        {
            var now = DateTimeOffset.UtcNow;
            for (var t = 0; t < Terminals; t++)
            {
                var previous = ReceiptEncoding.GenesisHash;
                var receipts = new List<SignedReceipt>();
                for (var s = 1; s <= PerTerminal; s++)
                {
                    var signed = ReceiptEncoding.Sign(new Receipt($"M-{t}:{s:D4}", $"M-{t}", s, previous, Beneficiaries[t], new Money(3, "USD"), "food", now.ToUnixTimeMilliseconds()), Keys[t].Signer);
                    previous = signed.Hash;
                    receipts.Add(signed);
                }
                using var terminal = Instances[t % 3].Client(RequestSignature.TerminalKeyId($"M-{t}"), Keys[t]);
                foreach (var batch in receipts.Chunk(20))
                    Assert.Equal(HttpStatusCode.Accepted, (await terminal.SendAsync(Requests.Post("api/pos/receipt-batches", new { terminalId = $"M-{t}", receipts = batch }))).StatusCode);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var instance in Instances) instance.Dispose();
            foreach (var owned in _owned.AsEnumerable().Reverse()) await owned.DisposeAsync();
            foreach (var key in Keys.Append(OperatorKey).Append(AuditorKey)) key.Dispose();
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
