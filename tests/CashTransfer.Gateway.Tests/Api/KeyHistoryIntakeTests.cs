using System.Net;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// The service's intake judges receipts by the key in force at the sale, as the ledger does (docs/terminal-keys.md):
/// offline sales a terminal signed with its old key before a routine rotation are taken and honoured, whether the
/// rotation went through this service or reached it only as a ledger event; a sale signed with the old key after the
/// rotation is taken too, and the ledger records why it refuses it; a key the terminal never had is still refused.
/// Against the real contract, on SQLite and on PostgreSQL.
/// </summary>
public abstract class KeyHistoryIntakeContract
{
    private static readonly LedgerCaller Operator = LedgerCaller.For(ClientRole.Operator, "Org1MSP");

    /// <summary>Storage settings for the service under test (empty: its default SQLite file).</summary>
    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    protected async Task OfflineSalesSignedWithTheOldKeyBeforeARotationAreTakenAndHonoured()
    {
        await using var s = await Stack.StartAsync(await StorageAsync());
        var sales = s.Terminal.Sign(3, s.OldKey, DateTimeOffset.UtcNow.AddMinutes(-2));
        await s.RotateThroughTheServiceAsync();

        using var upload = await s.UploadAsync(sales);
        Assert.True(upload.StatusCode == HttpStatusCode.Accepted, await upload.Content.ReadAsStringAsync());
        await s.DecidedAsync(sales, "Accepted");
    }

    protected async Task ARotationMadeElsewhereReachesIntakeThroughTheProjection()
    {
        await using var s = await Stack.StartAsync(await StorageAsync());
        var sales = s.Terminal.Sign(2, s.OldKey, DateTimeOffset.UtcNow.AddMinutes(-2));
        // Another instance (or a script on the ledger) rotates the key: this service learns it only from the TerminalUpdated event.
        await s.Ledger.SubmitAndWaitAsync(Operator, ChaincodeFunctions.RotateTerminalKey, ["T-1", s.NewKey.PublicKeyPem], TimeSpan.FromSeconds(5), CancellationToken.None);
        await Requests.EventuallyAsync(async () => (await s.Factory.Get<TerminalRepository>().FindAsync("T-1"))?.KeyVersion == 2, "the projection records the rotation");

        using var upload = await s.UploadAsync(sales);
        Assert.True(upload.StatusCode == HttpStatusCode.Accepted, await upload.Content.ReadAsStringAsync());
        await s.DecidedAsync(sales, "Accepted");
    }

    protected async Task ASaleSignedWithTheOldKeyAfterTheRotationIsTakenAndTheLedgerRecordsWhyItIsRefused()
    {
        await using var s = await Stack.StartAsync(await StorageAsync());
        var before = s.Terminal.Sign(1, s.OldKey, DateTimeOffset.UtcNow.AddMinutes(-2));
        await s.RotateThroughTheServiceAsync();
        var after = s.Terminal.Sign(1, s.OldKey, DateTimeOffset.UtcNow.AddSeconds(1));

        using var upload = await s.UploadAsync([.. before, .. after]);
        Assert.True(upload.StatusCode == HttpStatusCode.Accepted, await upload.Content.ReadAsStringAsync());
        await s.DecidedAsync(before, "Accepted");
        await s.DecidedAsync(after, "Rejected");
        Assert.Equal("KeyRetired", (await s.Factory.Get<ProjectionRepository>().FindReceiptStatusAsync(after[0].Receipt.RedemptionId))!.Reason);
    }

    protected async Task AKeyTheTerminalNeverHadIsStillRefused()
    {
        await using var s = await Stack.StartAsync(await StorageAsync());
        await s.RotateThroughTheServiceAsync();
        using var stranger = new TestKey();
        var sales = s.Terminal.Sign(1, stranger, DateTimeOffset.UtcNow.AddMinutes(-2));

        using var upload = await s.UploadAsync(sales);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, upload.StatusCode);
        Assert.Contains("receipt-signature-invalid", await upload.Content.ReadAsStringAsync());
        Assert.Empty(await s.Factory.Get<OutboxRepository>().FindManyAsync([sales[0].Receipt.RedemptionId]));
    }

    /// <summary>The service on the real contract with retailer R-1, terminal T-1 (old key), a cash programme and one beneficiary's entitlement.</summary>
    private sealed class Stack(ContractLedger ledger, GatewayFactory factory) : IAsyncDisposable
    {
        public ContractLedger Ledger { get; } = ledger;
        public GatewayFactory Factory { get; } = factory;
        public TestKey OldKey { get; } = new();
        public TestKey NewKey { get; } = new();
        public Journal Terminal { get; } = new("T-1");

        public static async Task<Stack> StartAsync(Dictionary<string, string?> storage)
        {
            var ledger = new ContractLedger();
            var factory = new GatewayFactory(ledgerPort: ledger, settings: settings => { foreach (var (k, v) in storage) settings[k] = v; });
            return await new Stack(ledger, factory).SetUpAsync();
        }

        private async Task<Stack> SetUpAsync()
        {
            using var op = Factory.OperatorClient();
            var now = DateTimeOffset.UtcNow;
            await CreatedAsync(op, Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }));
            await CreatedAsync(op, Requests.Post("api/operator/terminals", new { terminalId = "T-1", retailerId = "R-1", publicKeyPem = OldKey.PublicKeyPem }));
            await CreatedAsync(op, Requests.Post("api/operator/programmes", new
            {
                programmeId = "P-1", budget = new { minor = 1_000_000, currency = "KES" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
                restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
            }));
            var csv = new StringBuilder("beneficiaryHash,amountMinor\n").Append(Beneficiaries.One).Append(",100000\n");
            using var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv"));
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
            await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == 1,
                "the entitlement is issued", 30000);
            return this;
        }

        public async Task RotateThroughTheServiceAsync()
        {
            using var op = Factory.OperatorClient();
            using var rotated = await op.SendAsync(Requests.Post("api/operator/terminals/T-1/key", new { publicKeyPem = NewKey.PublicKeyPem }));
            Assert.True(rotated.IsSuccessStatusCode, await rotated.Content.ReadAsStringAsync());
        }

        /// <summary>Uploads as the terminal does after the rotation: the request signed with its new key, the receipts as they were signed.</summary>
        public async Task<HttpResponseMessage> UploadAsync(IReadOnlyList<SignedReceipt> receipts)
        {
            using var http = Factory.TerminalClient("T-1", NewKey);
            using var request = Requests.Post("api/pos/receipt-batches", new { terminalId = "T-1", receipts });
            return await http.SendAsync(request);
        }

        public async Task DecidedAsync(IReadOnlyList<SignedReceipt> receipts, string status)
        {
            var views = Factory.Get<ProjectionRepository>();
            foreach (var r in receipts)
                await Requests.EventuallyAsync(async () => (await views.FindReceiptStatusAsync(r.Receipt.RedemptionId))?.LedgerStatus == status,
                    $"{r.Receipt.RedemptionId} is {status} on the ledger", 30000);
        }

        private static async Task CreatedAsync(HttpClient op, HttpRequestMessage request)
        {
            using (request)
            using (var response = await op.SendAsync(request))
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            OldKey.Dispose();
            NewKey.Dispose();
        }
    }

    /// <summary>A terminal's journal: receipts chained in order, each signed with the key and clock given.</summary>
    private sealed class Journal(string terminalId)
    {
        private long _sequence;
        private string _previous = ReceiptEncoding.GenesisHash;

        public List<SignedReceipt> Sign(int count, TestKey key, DateTimeOffset at) => Enumerable.Range(0, count).Select(_ =>
        {
            var receipt = new Receipt(IdRules.NewRedemptionId(terminalId), terminalId, ++_sequence, _previous, Beneficiaries.One, new Money(100, "KES"), "food",
                at.ToUnixTimeMilliseconds());
            var signed = ReceiptEncoding.Sign(receipt, key.Signer);
            _previous = signed.Hash;
            return signed;
        }).ToList();
    }
}

public sealed class KeyHistoryIntakeOnSqliteTests : KeyHistoryIntakeContract
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());

    [Fact] public Task Offline_sales_signed_with_the_old_key_before_a_rotation_are_taken_and_honoured() => OfflineSalesSignedWithTheOldKeyBeforeARotationAreTakenAndHonoured();
    [Fact] public Task A_rotation_made_elsewhere_reaches_intake_through_the_projection() => ARotationMadeElsewhereReachesIntakeThroughTheProjection();
    [Fact] public Task A_sale_signed_with_the_old_key_after_the_rotation_is_taken_and_the_ledger_records_why_it_is_refused() => ASaleSignedWithTheOldKeyAfterTheRotationIsTakenAndTheLedgerRecordsWhyItIsRefused();
    [Fact] public Task A_key_the_terminal_never_had_is_still_refused() => AKeyTheTerminalNeverHadIsStillRefused();
}

public sealed class KeyHistoryIntakeOnPostgresTests : KeyHistoryIntakeContract
{
    protected override async Task<Dictionary<string, string?>> StorageAsync() => new()
    {
        ["CashTransfer:Storage:Provider"] = "Postgres",
        ["CashTransfer:Storage:ConnectionString"] = await TestDatabases.PostgresSchemaAsync(),
    };

    [PostgresFact] public Task Offline_sales_signed_with_the_old_key_before_a_rotation_are_taken_and_honoured() => OfflineSalesSignedWithTheOldKeyBeforeARotationAreTakenAndHonoured();
    [PostgresFact] public Task A_rotation_made_elsewhere_reaches_intake_through_the_projection() => ARotationMadeElsewhereReachesIntakeThroughTheProjection();
    [PostgresFact] public Task A_sale_signed_with_the_old_key_after_the_rotation_is_taken_and_the_ledger_records_why_it_is_refused() => ASaleSignedWithTheOldKeyAfterTheRotationIsTakenAndTheLedgerRecordsWhyItIsRefused();
    [PostgresFact] public Task A_key_the_terminal_never_had_is_still_refused() => AKeyTheTerminalNeverHadIsStillRefused();
}
