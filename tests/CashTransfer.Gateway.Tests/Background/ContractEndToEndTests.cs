using System.Net;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Journal;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Pos.Sync;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>
/// The gateway and the POS SDK against the real CashTransfer contract (in-memory Fabric stub, no network): an
/// agency sets up a retailer, a terminal and a programme, loads entitlements in bulk; a terminal sells offline and
/// syncs; the ledger accepts what the balance covers and records a rejection for the rest; settlement clears payables.
/// </summary>
public sealed class ContractEndToEndTests
{
    [Fact]
    public async Task From_programme_to_settlement_through_the_real_contract()
    {
        var ledger = new ContractLedger();
        await using var f = new GatewayFactory(ledgerPort: ledger);
        using var op = f.OperatorClient();
        using var terminalKey = new TestKey();
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Requests.Post("api/operator/retailers", new { retailerId = "R-1", categories = new[] { "food" } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Requests.Post("api/operator/terminals", new { terminalId = "T-1", retailerId = "R-1", publicKeyPem = terminalKey.PublicKeyPem }))).StatusCode);
        using (var created = await op.SendAsync(Requests.Post("api/operator/programmes", new
        {
            programmeId = "P-1", budget = new { minor = 1_000_000, currency = "KES" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
            restriction = new { kind = "Voucher", categories = new[] { "food" } }, allowedRetailers = new[] { "R-1" },
        })))
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var csv = new StringBuilder("beneficiaryHash,amountMinor\n").Append(Beneficiaries.One).Append(",1000\n").Append(Beneficiaries.Two).Append(",300\n");
        using (var upload = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=2026-11", csv.ToString(), "text/csv")))
        {
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
            await Requests.EventuallyAsync(async () => (await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync()).GetProperty("status").GetString() == "completed", "the upload completes");
            var job = await (await op.GetAsync(upload.Headers.Location!.ToString().TrimStart('/'))).JsonAsync();
            Assert.Equal(2, job.GetProperty("issuedRows").GetInt64());
        }

        // The terminal sells offline: 400 + 500 from beneficiary one's 1000, then 200 more than what is left.
        await using var journal = await OfflineJournal.OpenAsync(Path.Combine(TempFolder.Create(), "journal.db"), "T-1", terminalKey.Signer);
        var sales = new[] { 400L, 500L, 300L };
        var receipts = new List<SignedReceipt>();
        foreach (var amount in sales) receipts.Add(await journal.RecordSaleAsync(Beneficiaries.One, new Money(amount, "KES"), "food"));
        using var http = f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId("T-1"), terminalKey.Signer));
        var sync = new SyncClient(new CashTransferClient(http), journal, new SyncOptions { BaseDelay = TimeSpan.FromMilliseconds(5) });
        Assert.Equal(new SyncResult(1, 3), await sync.SyncAsync());
        await Requests.EventuallyAsync(async () =>
        {
            await sync.FetchOutcomesAsync();
            return (await journal.OutcomesAsync()).All(o => o.Status is "committed" or "rejected");
        }, "every receipt has its ledger outcome", 30000);

        var outcomes = await journal.OutcomesAsync();
        Assert.Equal(["committed", "committed", "rejected"], outcomes.Select(o => o.Status));
        Assert.Equal("InsufficientBalance", outcomes[2].Reason);

        using var terminal = f.TerminalClient("T-1", terminalKey);
        var balances = await (await terminal.GetAsync($"api/pos/balances/{Beneficiaries.One}")).JsonAsync();
        Assert.Equal(100, balances.GetProperty("entitlements")[0].GetProperty("balance").GetProperty("minor").GetInt64());

        using var auditor = f.AuditorClient();
        var redemption = await (await auditor.GetAsync($"api/audit/redemptions/{receipts[0].Receipt.RedemptionId}")).JsonAsync();
        Assert.Equal(("Accepted", receipts[0].Hash), (redemption.GetProperty("status").GetString(), redemption.GetProperty("receiptHash").GetString()));

        // The projection saw the two accepted redemptions as payables; settling clears them.
        await Requests.EventuallyAsync(async () => (await f.Get<ProjectionRepository>().ListPayablesAsync("R-1")).Count == 2, "two payables projected");
        using (var settled = await op.SendAsync(Requests.Post("api/operator/settlements", new { settlementId = "S-1", retailerId = "R-1", cutOff = DateTimeOffset.UtcNow, paymentReference = "PAY-0001" })))
            Assert.True(settled.StatusCode == HttpStatusCode.Created, await settled.Content.ReadAsStringAsync());
        await Requests.EventuallyAsync(async () => (await f.Get<ProjectionRepository>().ListPayablesAsync("R-1")).Count == 0, "payables cleared by the settlement");
        Assert.Equal("Accepted", (await f.Get<ProjectionRepository>().FindReceiptStatusAsync(receipts[1].Receipt.RedemptionId))!.LedgerStatus);
        Assert.Equal("Rejected", (await f.Get<ProjectionRepository>().FindReceiptStatusAsync(receipts[2].Receipt.RedemptionId))!.LedgerStatus);

        // A second settlement finds nothing left to pay: the contract's 409 comes back as a problem.
        using var again = await op.SendAsync(Requests.Post("api/operator/settlements", new { settlementId = "S-2", retailerId = "R-1", cutOff = DateTimeOffset.UtcNow, paymentReference = "PAY-0002" }));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
