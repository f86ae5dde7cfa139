using CashTransfer.Api;
using System.Net;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Journal;
using CashTransfer.Pos.Receipts;
using CashTransfer.Api.Signing;
using CashTransfer.Api.Client;
using CashTransfer.Pos.Sync;
using CashTransfer.Reconciliation.Findings;

namespace CashTransfer.Gateway.Tests.Reconciliation;

/// <summary>
/// Reconciliation through the service on the embedded network: real terminals (the POS SDK's journal, sync and
/// export), real settlements, payment statements and journal files uploaded with the job. A clean run finds
/// nothing; then each planted difference is found as its kind, and lost receipts resubmitted by one run are matched
/// by the next.
/// </summary>
public sealed class ReconciliationScenarioTests
{
    private const string Header = "paymentReference,retailerId,agencyMsp,amountMinor,currency,valueDate";

    [Fact]
    public async Task A_clean_run_finds_nothing_and_every_planted_difference_is_found_as_its_kind()
    {
        await using var stack = await ReconciliationStack.StartAsync();
        var f = stack.Gateway;
        using var op = f.OperatorClient();
        var keys = Enumerable.Range(1, 4).ToDictionary(i => $"T-{i}", _ => new TestKey());
        var start = DateTimeOffset.UtcNow;
        await CreatedAsync(op, "api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } });
        foreach (var (terminal, key) in keys) await CreatedAsync(op, "api/operator/terminals", new { terminalId = terminal, retailerId = "R-1", publicKeyPem = key.PublicKeyPem });
        await CreatedAsync(op, "api/operator/programmes", new
        {
            programmeId = "P-1", budget = new { minor = 100_000, currency = "USD" }, validFrom = start.AddDays(-1), validUntil = start.AddDays(30), priority = 1,
            restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
        });
        using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1",
            $"beneficiaryHash,amountMinor\n{Beneficiaries.One},10000\n", "text/csv")))
            await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == 1,
                "the entitlement is issued", 60_000);

        // T-1 sells online: three sales reach the ledger through the service; R-1 is settled for them and paid.
        await using var t1 = await OfflineJournal.OpenAsync(Path.Combine(stack.Data, "t1.db"), "T-1", keys["T-1"].Signer);
        foreach (var amount in new long[] { 100, 200, 300 }) await t1.RecordSaleAsync(Beneficiaries.One, new Money(amount, "USD"), "food");
        await SyncAsync(f, t1, keys["T-1"]);
        await CreatedAsync(op, "api/operator/settlements", new { settlementId = "S-1", retailerId = "R-1", cutOff = DateTimeOffset.UtcNow, paymentReference = "PAY-1" });
        var from = start.AddMinutes(-5);
        var to = DateTimeOffset.UtcNow.AddDays(1);
        var paid = $"{Header}\nPAY-1,R-1,WFPMSP,600,USD,2026-12-06\n";

        var clean = await stack.ReconcileAsync(from, to, paid, new Dictionary<string, string> { ["T-1.ndjson"] = await ExportAsync(stack, t1) });
        Assert.Empty(clean.Findings);
        Assert.False(clean.NeedsAction);
        Assert.Equal(3, clean.Report.GetProperty("counts").GetProperty("ledgerRedemptions").GetInt64());
        Assert.Equal(6, clean.Report.GetProperty("counts").GetProperty("journalCopiesMatched").GetInt64());

        // A sale beyond the balance is refused by the ledger: information only.
        await t1.RecordSaleAsync(Beneficiaries.One, new Money(50_000, "USD"), "food");
        await SyncAsync(f, t1, keys["T-1"]);
        // T-2 worked offline and never reached the service: its exported journal is the only evidence of two sales.
        await using var t2 = await OfflineJournal.OpenAsync(Path.Combine(stack.Data, "t2.db"), "T-2", keys["T-2"].Signer);
        foreach (var amount in new long[] { 40, 60 }) await t2.RecordSaleAsync(Beneficiaries.One, new Money(amount, "USD"), "food");
        var t2File = await ExportAsync(stack, t2);
        // T-3's export was damaged: line 2 lost (a gap), line 3's signature replaced (forged), line 5 cut off (truncated).
        await using var t3 = await OfflineJournal.OpenAsync(Path.Combine(stack.Data, "t3.db"), "T-3", keys["T-3"].Signer);
        for (int i = 0; i < 5; i++) await t3.RecordSaleAsync(Beneficiaries.One, new Money(10, "USD"), "food");
        var t3Lines = (await ExportAsync(stack, t3)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var firstSignature = JsonSerializer.Deserialize<SignedReceipt>(t3Lines[0], JsonSerializerOptions.Web)!.Signature;
        var forged = JsonSerializer.Serialize(JsonSerializer.Deserialize<SignedReceipt>(t3Lines[2], JsonSerializerOptions.Web)! with { Signature = firstSignature }, JsonSerializerOptions.Web);
        var t3File = string.Join("\n", t3Lines[0], forged, t3Lines[3], t3Lines[4][..30]) + "\n";
        // T-1's own export with its first receipt rewritten and re-signed by the terminal's key: another sale under a recorded id.
        var t1Lines = (await ExportAsync(stack, t1)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var original = JsonSerializer.Deserialize<SignedReceipt>(t1Lines[0], JsonSerializerOptions.Web)!;
        var rewritten = ReceiptEncoding.Sign(original.Receipt with { Amount = new Money(999, "USD") }, keys["T-1"].Signer);
        var t1File = string.Join("\n", [JsonSerializer.Serialize(rewritten, JsonSerializerOptions.Web), .. t1Lines[1..]]) + "\n";
        // T-4's sale was put on the ledger without passing through this service: no journal the auditor holds has it.
        var ghost = ReceiptEncoding.Sign(new Receipt($"T-4:{Guid.NewGuid():N}", "T-4", 1, ReceiptEncoding.GenesisHash, Beneficiaries.One, new Money(70, "USD"), "food",
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), keys["T-4"].Signer);
        await stack.Ledger.SubmitAndWaitAsync(new LedgerCaller("WFPMSP", "gateway"), ChaincodeFunctions.Redeem, [JsonSerializer.Serialize(ghost, ApiJson.Options)],
            TimeSpan.FromSeconds(30), CancellationToken.None);
        // The statement pays PAY-1 one cent too much and carries a payment nobody settled.
        var misPaid = $"{Header}\nPAY-1,R-1,WFPMSP,601,USD,2026-12-06\nPAY-9,R-1,WFPMSP,500,USD,2026-12-06\n";

        var planted = await stack.ReconcileAsync(from, to, misPaid, new Dictionary<string, string>
        {
            ["T-1.ndjson"] = t1File, ["T-2.ndjson"] = t2File, ["T-3.ndjson"] = t3File,
        });
        Assert.True(planted.NeedsAction);
        Assert.Single(planted.OfKind(FindingKinds.ReceiptRejected));
        Assert.Equal(RedemptionIds(await t2.OutcomesAsync()).Order(), planted.OfKind(FindingKinds.ReceiptMissingOnLedger)
            .Where(x => x.GetProperty("terminalId").GetString() == "T-2").Select(x => x.GetProperty("redemptionId").GetString()!).Order());
        Assert.Single(planted.OfKind(FindingKinds.ReceiptSignatureInvalid), x => x.GetProperty("line").GetInt64() == 2 && x.GetProperty("source").GetString() == "T-3.ndjson");
        Assert.Single(planted.OfKind(FindingKinds.JournalMalformed), x => x.GetProperty("line").GetInt64() == 4);
        Assert.Single(planted.OfKind(FindingKinds.JournalGap), x => x.GetProperty("terminalId").GetString() == "T-3" && x.GetProperty("sequence").GetInt64() == 2);
        Assert.Single(planted.OfKind(FindingKinds.ReceiptContentMismatch), x => x.GetProperty("redemptionId").GetString() == original.Receipt.RedemptionId);
        Assert.Single(planted.OfKind(FindingKinds.JournalFork), x => x.GetProperty("terminalId").GetString() == "T-1" && x.GetProperty("sequence").GetInt64() == 1);
        Assert.Single(planted.OfKind(FindingKinds.RedemptionMissingFromJournal), x => x.GetProperty("redemptionId").GetString() == ghost.Receipt.RedemptionId);
        Assert.Single(planted.OfKind(FindingKinds.PaymentAmountMismatch), x => x.GetProperty("otherAmount").GetProperty("minor").GetInt64() == 601);
        Assert.Single(planted.OfKind(FindingKinds.PaymentUnknown), x => x.GetProperty("paymentReference").GetString() == "PAY-9");

        // Resubmitting: T-2's two lost (genuinely signed) receipts go through the service's outbox to the ledger.
        var resubmitting = await stack.ReconcileAsync(from, to, paid, new Dictionary<string, string> { ["T-2.ndjson"] = t2File }, resubmit: true);
        Assert.Equal(2, resubmitting.OfKind(FindingKinds.ReceiptMissingOnLedger).Count(x => x.GetProperty("resubmitted").GetBoolean()));
        Assert.Equal(2, resubmitting.Report.GetProperty("counts").GetProperty("resubmitted").GetInt64());
        await Requests.EventuallyAsync(async () => (await f.Get<OutboxRepository>().FindManyAsync(RedemptionIds(await t2.OutcomesAsync()))).All(e => e.Status == ReceiptState.Committed),
            "the resubmitted receipts are committed", 90_000);
        var after = await stack.ReconcileAsync(from, to, paid, new Dictionary<string, string> { ["T-2.ndjson"] = t2File }, payableCutOff: DateTimeOffset.UtcNow);
        Assert.Empty(after.OfKind(FindingKinds.ReceiptMissingOnLedger));
        // T-2's sales are now payable and unsettled past the cut-off given.
        Assert.Single(after.OfKind(FindingKinds.PayableOverdue), x => x.GetProperty("ledgerAmount").GetProperty("minor").GetInt64() == 100 + 70);

        // A second settlement not paid at all; the first paid twice, in another currency, to another payee; a row that is not a payment.
        await CreatedAsync(op, "api/operator/settlements", new { settlementId = "S-2", retailerId = "R-1", cutOff = DateTimeOffset.UtcNow, paymentReference = "PAY-2" });
        var twice = $"{Header}\nPAY-1,R-1,WFPMSP,600,USD,2026-12-06\nPAY-1,R-1,WFPMSP,600,USD,2026-12-07\nPAY-1,R-1,WFPMSP,600,KES,2026-12-07\n" +
            "PAY-1,R-9,WFPMSP,600,USD,2026-12-07\nPAY-3,R-1,WFPMSP,12.50,USD,2026-12-07\n";
        var payments = await stack.ReconcileAsync(from, to, twice);
        Assert.Single(payments.OfKind(FindingKinds.PaymentMalformed), x => x.GetProperty("line").GetInt64() == 6);
        Assert.Equal([FindingKinds.PaymentCurrencyMismatch, FindingKinds.PaymentDuplicate, FindingKinds.PaymentMalformed, FindingKinds.PaymentMissing, FindingKinds.PaymentPayeeMismatch],
            payments.Findings.Select(x => x.GetProperty("kind").GetString()!).Where(k => k.StartsWith("payment-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The ledger's own arithmetic, checked on a real stack: a peer's world state edited outside any transaction (as a
    /// corrupted or tampered state database would be: one payable of R-1 gone, the beneficiary's balance raised) breaks
    /// the programme's totals and the retailer's payable, and the report names both; the clean run before finds nothing.
    /// </summary>
    [Fact]
    public async Task A_peer_state_edited_outside_any_transaction_breaks_the_programme_totals_and_the_retailer_payable()
    {
        await using var stack = await ReconciliationStack.StartAsync();
        var f = stack.Gateway;
        using var op = f.OperatorClient();
        using var key = new TestKey();
        var start = DateTimeOffset.UtcNow;
        await CreatedAsync(op, "api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } });
        await CreatedAsync(op, "api/operator/terminals", new { terminalId = "T-1", retailerId = "R-1", publicKeyPem = key.PublicKeyPem });
        await CreatedAsync(op, "api/operator/programmes", new
        {
            programmeId = "P-1", budget = new { minor = 100_000, currency = "USD" }, validFrom = start.AddDays(-1), validUntil = start.AddDays(30), priority = 1,
            restriction = new { kind = "Cash" }, allowedRetailers = new[] { "R-1" },
        });
        using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1",
            $"beneficiaryHash,amountMinor\n{Beneficiaries.One},10000\n", "text/csv")))
            await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("issuedRows").GetInt64() == 1,
                "the entitlement is issued", 60_000);
        await using var t1 = await OfflineJournal.OpenAsync(Path.Combine(stack.Data, "t1.db"), "T-1", key.Signer);
        foreach (var amount in new long[] { 100, 200, 300 }) await t1.RecordSaleAsync(Beneficiaries.One, new Money(amount, "USD"), "food");
        await SyncAsync(f, t1, key);
        var (from, to) = (start.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Empty((await stack.ReconcileAsync(from, to)).Findings);

        const string chaincode = "cashtransfer";
        var state = stack.Network.Ledger.State;
        var keys = state.Range(chaincode, "", "");
        var payable = keys.First(kv => kv.Key.StartsWith("\u0000PayableDelta\u0000R-1\u0000", StringComparison.Ordinal));
        var entitlement = keys.Single(kv => kv.Key.StartsWith("\u0000Entitlement\u0000", StringComparison.Ordinal));
        var raised = System.Text.Json.Nodes.JsonNode.Parse(entitlement.Value.Value.ToStringUtf8())!;
        raised["balance"] = raised["balance"]!.GetValue<long>() + 500;
        var edit = new Fabric.Network.Ledger.UpdateBatch();
        edit.Add(new Fabric.Network.Ledger.StateUpdate(chaincode, payable.Key, null, true, "edited"));
        edit.Add(new Fabric.Network.Ledger.StateUpdate(chaincode, entitlement.Key, entitlement.Value with { Value = Google.Protobuf.ByteString.CopyFromUtf8(raised.ToJsonString()) }, true, "edited"));
        state.Apply(edit);

        var broken = await stack.ReconcileAsync(from, to);
        Assert.True(broken.NeedsAction);
        var totals = Assert.Single(broken.OfKind(FindingKinds.ProgrammeTotalsBroken));
        Assert.Equal("P-1", totals.GetProperty("programmeId").GetString());
        var retailer = Assert.Single(broken.OfKind(FindingKinds.RetailerPayableBroken));
        Assert.Equal("R-1", retailer.GetProperty("retailerId").GetString());
        Assert.Equal(600, retailer.GetProperty("otherAmount").GetProperty("minor").GetInt64()); // redeemed - reversed - settled
        Assert.True(retailer.GetProperty("ledgerAmount").GetProperty("minor").GetInt64() < 600); // what the edited state still shows payable
    }

    [Fact]
    public async Task A_statement_with_the_wrong_header_or_a_bad_period_is_refused_with_a_clear_error()
    {
        await using var f = new GatewayFactory();
        using var auditor = f.AuditorClient();
        var now = DateTimeOffset.UtcNow;
        using var header = await auditor.SendAsync(ReconciliationStack.Request(now.AddDays(-1), now, "reference,amount\nPAY-1,100\n"));
        Assert.Equal(HttpStatusCode.BadRequest, header.StatusCode);
        Assert.Contains("paymentReference", await header.Content.ReadAsStringAsync());
        using var period = await auditor.SendAsync(ReconciliationStack.Request(now, now.AddDays(-1)));
        Assert.Equal(HttpStatusCode.BadRequest, period.StatusCode);
        using var name = await auditor.SendAsync(ReconciliationStack.Request(now.AddDays(-1), now, journals: new Dictionary<string, string> { ["../evil.ndjson"] = "" }));
        Assert.Equal(HttpStatusCode.BadRequest, name.StatusCode);
        using var op = f.OperatorClient();
        using var forbidden = await op.SendAsync(ReconciliationStack.Request(now.AddDays(-1), now));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"api/audit/reconciliations/{Guid.NewGuid():N}")).StatusCode);
    }

    private static List<string> RedemptionIds(IReadOnlyList<JournalOutcome> outcomes) => outcomes.Select(o => o.RedemptionId).ToList();

    /// <summary>The terminal's journal exported as the POS SDK writes it (<c>&lt;terminalId&gt;.ndjson</c>).</summary>
    private static async Task<string> ExportAsync(ReconciliationStack stack, OfflineJournal journal)
    {
        using var file = new MemoryStream();
        var (terminal, _) = await OfflineJournal.ExportAsync(Path.Combine(stack.Data, $"{journal.TerminalId.Replace("-", "").ToLowerInvariant()}.db"), file);
        Assert.Equal(journal.TerminalId, terminal);
        return Encoding.UTF8.GetString(file.ToArray());
    }

    private static async Task SyncAsync(GatewayFactory f, OfflineJournal journal, TestKey key)
    {
        using var http = f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId(journal.TerminalId), key.Signer));
        var sync = new SyncClient(new CashTransferClient(http), journal, new SyncOptions { MaxBatchReceipts = 10, BaseDelay = TimeSpan.FromMilliseconds(10) });
        await sync.SyncAsync();
        await Requests.EventuallyAsync(async () =>
        {
            await sync.FetchOutcomesAsync();
            return (await journal.OutcomesAsync()).All(o => o.Status is "committed" or "rejected");
        }, "every receipt has its outcome from the network", 90_000);
    }

    private static async Task CreatedAsync(HttpClient op, string path, object body)
    {
        using var response = await op.SendAsync(Requests.Post(path, body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
