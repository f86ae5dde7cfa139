using System.Security.Cryptography;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Testing;

namespace CashTransfer.Chaincode.Tests.Contract;

public class RedemptionTests
{
    private static async Task<Ledger> WithCashProgramme(long amount = 100)
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 10_000, retailers: ["RT-1", "RT-2"]));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, amount));
        return l;
    }

    [Fact]
    public async Task An_accepted_redemption_deducts_records_one_payable_delta_and_emits_an_event()
    {
        var l = await WithCashProgramme();
        var outcome = await l.Redeem(l.Receipt(1, 30, redemptionId: "T-1:R-A"));
        var r = outcome.Value;
        Assert.Equal(RedemptionStatus.Accepted, r.Status);
        Assert.Equal([new Allocation("P1", "C1", Ledger.Wfp, 30)], r.Allocations);
        Assert.Equal(70, l.EntitlementOf(1, "P1", "C1").Balance);
        var delta = l.Committed<PayableDelta>(Keys.PayableDelta, "RT-1", Ledger.Wfp, "T-1:R-A");
        Assert.Equal(new Money(30, "USD"), delta.Amount);
        Assert.Equal("RedemptionAccepted", outcome.Commit!.Event!.EventName);
        Assert.Equal("T-1:R-A", LedgerJson.Deserialize<Redemption>(outcome.Commit.Event.Payload).RedemptionId);
    }

    [Fact]
    public async Task Insufficient_balance_is_a_recorded_rejection_returned_stored_and_evented()
    {
        var l = await WithCashProgramme();
        var outcome = await l.Redeem(l.Receipt(1, 101, redemptionId: "T-1:R-B"));
        Assert.True(outcome.Succeeded);
        Assert.Equal(RejectionCode.InsufficientBalance, outcome.Value.Rejection!.Code);
        Assert.Equal(RedemptionStatus.Rejected, l.Committed<Redemption>(Keys.Redemption, "T-1:R-B").Status);
        Assert.Equal("RedemptionRejected", outcome.Commit!.Event!.EventName);
        Assert.Equal(100, l.EntitlementOf(1, "P1", "C1").Balance);
        Assert.Empty(l.All<PayableDelta>(Keys.PayableDelta));
        var fetched = (await l.Evaluate(l.Gateway, c => l.Queries.GetRedemption(c, "T-1:R-B"))).Value;
        Assert.Equal(RejectionCode.InsufficientBalance, fetched.Rejection!.Code);
    }

    [Fact]
    public async Task A_repeated_redemption_id_returns_the_first_outcome_and_writes_nothing()
    {
        var l = await WithCashProgramme();
        var first = (await l.Redeem(l.Receipt(1, 30, redemptionId: "T-1:R-C"))).Value;
        var height = l.World.Height;
        var stub = l.World.NewTransaction(l.Gateway);
        var repeat = await l.Redemptions.Redeem(new Fabric.Shim.Contracts.Context(stub, l.Gateway.ClientIdentity), l.Sign(l.Receipt(1, 30, redemptionId: "T-1:R-C")));
        Assert.Equal(LedgerJson.Serialize(first), LedgerJson.Serialize(repeat));
        Assert.Empty(stub.Writes);
        Assert.Null(stub.Event);
        // Even a different receipt under the same id gets the first outcome.
        Assert.Equal(LedgerJson.Serialize(first), LedgerJson.Serialize((await l.Redeem(l.Receipt(1, 99, redemptionId: "T-1:R-C"))).Value));
        Assert.Equal(70, l.EntitlementOf(1, "P1", "C1").Balance);
        Assert.True(l.World.Height > height);
    }

    [Fact]
    public async Task A_forged_signature_is_refused_and_nothing_is_recorded()
    {
        var l = await WithCashProgramme();
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 30, redemptionId: "T-1:R-F"), forger)));
        forged.FailsWith(401);
        var receipt = l.Receipt(1, 30, redemptionId: "T-1:R-G");
        var tampered = l.Sign(receipt) with { Receipt = receipt with { Amount = new Money(3, "USD") } };
        (await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, tampered))).FailsWith(401);
        (await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(receipt) with { Signature = "not base64!" }))).FailsWith(401);
        Assert.Null(l.Committed<Redemption>(Keys.Redemption, "T-1:R-F"));
        // The genuine receipt with that id still goes through.
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 30, redemptionId: "T-1:R-F"))).Value.Status);
    }

    [Fact]
    public async Task After_a_key_rotation_sales_dated_later_and_signed_with_the_old_key_are_refused()
    {
        var l = await WithCashProgramme();
        var oldKey = l.TerminalKey("T-1");
        var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rotated = (await l.Submit(l.WfpOperator, c => l.Retail.RotateTerminalKey(c, "T-1", newKey.ExportSubjectPublicKeyInfoPem()))).Value;
        Assert.Equal(2, rotated.KeyVersion);
        var stale = (await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 10), oldKey)))).Value;
        Assert.Equal((RejectionCode.KeyRetired, 1), (stale.Rejection!.Code, stale.KeyVersion));
        l.ReplaceTerminalKey("T-1", newKey);
        Assert.True((await l.Redeem(l.Receipt(1, 10))).Value.Status == RedemptionStatus.Accepted);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        (await l.Submit(l.WfpOperator, c => l.Retail.RotateTerminalKey(c, "T-1", p384.ExportSubjectPublicKeyInfoPem()))).FailsWith(400);
    }

    [Fact]
    public async Task An_unknown_terminal_is_refused()
    {
        var l = await WithCashProgramme();
        var receipt = l.Receipt(1, 10, terminal: "T-9");
        (await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(receipt, l.TerminalKey("T-1"))))).FailsWith(404);
    }

    [Fact]
    public async Task A_suspended_terminal_gets_a_recorded_rejection_until_reactivated()
    {
        var l = await WithCashProgramme();
        await l.Submit(l.WfpOperator, c => l.Retail.SuspendTerminal(c, "T-1", "Routine"));
        Assert.Equal(RejectionCode.TerminalSuspended, (await l.Redeem(l.Receipt(1, 10))).Value.Rejection!.Code);
        await l.Submit(l.WfpOperator, c => l.Retail.ReactivateTerminal(c, "T-1"));
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 10))).Value.Status);
    }

    [Fact]
    public async Task Currency_mismatch_is_a_recorded_rejection()
    {
        var l = await WithCashProgramme();
        Assert.Equal(RejectionCode.CurrencyMismatch, (await l.Redeem(l.Receipt(1, 10, currency: "EUR"))).Value.Rejection!.Code);
    }

    [Fact]
    public async Task A_sale_outside_the_validity_window_is_rejected()
    {
        var l = await WithCashProgramme();
        Assert.Equal(RejectionCode.OutsideValidityWindow, (await l.Redeem(l.Receipt(1, 10, at: Ledger.Start.AddMinutes(-1)))).Value.Rejection!.Code);
        l.World.Clock = Ledger.Start.AddDays(31);
        Assert.Equal(RejectionCode.OutsideValidityWindow, (await l.Redeem(l.Receipt(1, 10))).Value.Rejection!.Code);
        // An offline sale made before expiry still counts when it syncs later.
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 10, at: Ledger.Start.AddDays(29)))).Value.Status);
        Assert.Equal(RejectionCode.TerminalTimeInFuture, (await l.Redeem(l.Receipt(1, 10, at: l.World.Clock.AddHours(1)))).Value.Rejection!.Code);
    }

    [Fact]
    public async Task Vouchers_pay_only_for_their_categories_and_retailers_only_sell_theirs()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("V1", 1000, kind: RestrictionKind.Voucher, categories: ["food"], retailers: ["RT-1", "RT-2"]));
        await l.Issue(l.WfpOperator, "V1", "C1", (1, 100));
        Assert.Equal(RejectionCode.CategoryNotAllowed, (await l.Redeem(l.Receipt(1, 10, terminal: "T-2", category: "fuel"))).Value.Rejection!.Code);
        Assert.Equal(RejectionCode.CategoryNotAllowed, (await l.Redeem(l.Receipt(1, 10, terminal: "T-1", category: "fuel"))).Value.Rejection!.Code);
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 10, terminal: "T-2", category: "food"))).Value.Status);
    }

    [Fact]
    public async Task A_retailer_not_allowed_for_the_programme_is_rejected()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000, retailers: ["RT-1"]));
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 100));
        Assert.Equal(RejectionCode.RetailerNotAllowed, (await l.Redeem(l.Receipt(1, 10, terminal: "T-2"))).Value.Rejection!.Code);
        await l.Submit(l.WfpOperator, c => l.Programmes.AllowRetailer(c, "P1", "RT-2"));
        Assert.Equal(RedemptionStatus.Accepted, (await l.Redeem(l.Receipt(1, 10, terminal: "T-2"))).Value.Status);
        await l.Submit(l.WfpOperator, c => l.Programmes.DisallowRetailer(c, "P1", "RT-2"));
        Assert.Equal(RejectionCode.RetailerNotAllowed, (await l.Redeem(l.Receipt(1, 10, terminal: "T-2"))).Value.Rejection!.Code);
    }

    [Fact]
    public async Task A_beneficiary_without_entitlements_and_a_suspended_programme_are_rejected()
    {
        var l = await WithCashProgramme();
        Assert.Equal(RejectionCode.NoEntitlement, (await l.Redeem(l.Receipt(2, 10))).Value.Rejection!.Code);
        await l.Submit(l.WfpOperator, c => l.Programmes.SetProgrammeStatus(c, "P1", "Suspended"));
        Assert.Equal(RejectionCode.NoActiveEntitlement, (await l.Redeem(l.Receipt(1, 10))).Value.Rejection!.Code);
    }

    [Fact]
    public async Task Malformed_receipts_are_refused_with_a_clear_error()
    {
        var l = await WithCashProgramme();
        foreach (var bad in new[]
        {
            l.Receipt(1, 0), l.Receipt(1, -5), l.Receipt(1, 10, category: "Food!"),
            l.Receipt(1, 10) with { BeneficiaryHash = "Jane Doe" }, l.Receipt(1, 10) with { PreviousReceiptHash = "x" },
            l.Receipt(1, 10) with { RedemptionId = "" },
        })
            (await l.Submit(l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(bad)))).FailsWith(400);
    }

    [Fact]
    public async Task Allocation_spends_the_earliest_expiry_first_then_priority_then_programme_id()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("A-LATE", 1000, priority: 0, until: Ledger.Start.AddDays(20)));
        await l.CreateProgramme(l.UnwOperator, Ledger.Definition("B-EARLY", 1000, priority: 5, until: Ledger.Start.AddDays(10)));
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("C-PRIO", 1000, priority: 1, until: Ledger.Start.AddDays(20)));
        await l.CreateProgramme(l.UnwOperator, Ledger.Definition("D-PRIO", 1000, priority: 1, until: Ledger.Start.AddDays(20)));
        foreach (var (p, op) in new[] { ("A-LATE", l.WfpOperator), ("B-EARLY", l.UnwOperator), ("C-PRIO", l.WfpOperator), ("D-PRIO", l.UnwOperator) })
            await l.Issue(op, p, "C1", (1, 10));

        var r = (await l.Redeem(l.Receipt(1, 35, redemptionId: "T-1:R-X"))).Value;
        Assert.Equal(["B-EARLY:10", "A-LATE:10", "C-PRIO:10", "D-PRIO:5"], r.Allocations.Select(a => $"{a.ProgrammeId}:{a.AmountMinor}"));
        // One payable delta per paying agency.
        Assert.Equal(20, l.Committed<PayableDelta>(Keys.PayableDelta, "RT-1", Ledger.Wfp, "T-1:R-X").Amount.Minor);
        Assert.Equal(15, l.Committed<PayableDelta>(Keys.PayableDelta, "RT-1", Ledger.Unw, "T-1:R-X").Amount.Minor);
    }

    [Fact]
    public async Task Two_concurrent_spends_of_one_balance_cannot_both_succeed()
    {
        var l = await WithCashProgramme();
        var (first, second) = await l.Runner.SubmitConcurrentlyAsync(
            l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 80, redemptionId: "T-1:R-1"))),
            l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 80, terminal: "T-2", redemptionId: "T-2:R-2"))));
        Assert.True(first.Succeeded);
        Assert.Equal(ValidationCode.MvccReadConflict, second.Commit!.Code);
        Assert.Equal(20, l.EntitlementOf(1, "P1", "C1").Balance);
        Assert.Null(l.Committed<Redemption>(Keys.Redemption, "T-2:R-2"));
        // Resubmitted after the conflict, the second spend is rejected for insufficient balance.
        Assert.Equal(RejectionCode.InsufficientBalance, (await l.Redeem(l.Receipt(1, 80, terminal: "T-2", redemptionId: "T-2:R-2"))).Value.Rejection!.Code);
    }

    [Fact]
    public async Task Concurrent_redemptions_for_different_beneficiaries_at_one_retailer_do_not_conflict()
    {
        var l = await WithCashProgramme();
        await l.Issue(l.WfpOperator, "P1", "C1", (2, 100));
        var (first, second) = await l.Runner.SubmitConcurrentlyAsync(
            l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 80))),
            l.Gateway, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(2, 80))));
        Assert.True(first.Succeeded && second.Succeeded, $"{first.Commit?.Detail} {second.Commit?.Detail}");
        Assert.Equal(2, l.All<PayableDelta>(Keys.PayableDelta).Count);
    }

    [Fact]
    public async Task Many_terminals_redeeming_for_different_beneficiaries_at_once_all_commit()
    {
        var l = await WithCashProgramme();
        await l.AddTerminal("T-3", "RT-1");
        await l.Issue(l.WfpOperator, "P1", "C1", Enumerable.Range(2, 11).Select(b => (b, 50L)).ToArray());
        var terminals = new[] { "T-1", "T-2", "T-3" };
        var outcomes = await l.Runner.SubmitConcurrentlyAsync(Enumerable.Range(2, 11)
            .Select(b => (l.Gateway, (Func<Fabric.Shim.Contracts.Context, Task<Redemption>>)(c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(b, 20, terminals[b % 3]))))))
            .ToList());
        Assert.All(outcomes, o => Assert.True(o.Succeeded && o.Value.Status == RedemptionStatus.Accepted, o.Commit?.Detail ?? o.Error?.Message));
        Assert.Equal(11, l.All<PayableDelta>(Keys.PayableDelta).Count);
    }

    [Fact]
    public async Task Entitlements_need_the_owning_agencys_endorsement_to_change()
    {
        var l = await WithCashProgramme();
        var key = Ledger.Key(Keys.Entitlement, Ledger.Beneficiary(1), "P1", "C1");
        Assert.Equal(Endorsement.ByPeerOf(Ledger.Wfp), l.World.GetValidationParameter(key));
        Assert.Equal(Endorsement.ByPeerOf(Ledger.Wfp), l.World.GetValidationParameter(Ledger.Key(Keys.ProgrammeBudget, "P1")));
        var byOthers = await l.Redeem(l.Receipt(1, 10), new TransactionOptions { Endorsers = [Ledger.Unw, "UNHCRMSP"] });
        Assert.Equal(ValidationCode.EndorsementPolicyFailure, byOthers.Commit!.Code);
        Assert.Equal(100, l.EntitlementOf(1, "P1", "C1").Balance);
        Assert.True((await l.Redeem(l.Receipt(1, 10), new TransactionOptions { Endorsers = [Ledger.Unw, Ledger.Wfp] })).Succeeded);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("XYZ")]
    public async Task A_receipt_in_anything_but_an_ISO_4217_code_is_refused_and_nothing_recorded(string currency)
    {
        var l = await WithCashProgramme();
        var receipt = l.Receipt(1, 10, currency: currency);
        var error = (await l.Redeem(receipt)).FailsWith(400);
        Assert.Contains("ISO 4217", error.Message);
        Assert.Null(l.Committed<Redemption>(Keys.Redemption, receipt.RedemptionId));
    }
}
