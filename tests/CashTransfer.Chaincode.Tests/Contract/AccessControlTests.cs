using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

public class AccessControlTests
{
    [Fact]
    public async Task Only_operators_create_programmes()
    {
        var l = await new Ledger().WithRetailers();
        foreach (var caller in new[] { l.Auditor, l.Gateway, l.NoRole })
            (await l.Submit(caller, c => l.Programmes.CreateProgramme(c, Ledger.Definition("P1", 1000)))).FailsWith(403);
        var programme = await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        Assert.Equal(Ledger.Wfp, programme.OwnerMsp);
    }

    [Fact]
    public async Task An_agency_cannot_issue_into_or_change_another_agencys_programme()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        (await l.Submit(l.UnwOperator, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 10)])))).FailsWith(403);
        (await l.Submit(l.UnwOperator, c => l.Programmes.SetProgrammeStatus(c, "P1", "Suspended"))).FailsWith(403);
        (await l.Submit(l.Gateway, c => l.Entitlements.IssueEntitlements(c, new EntitlementBatch("P1", "C1", [new(Ledger.Beneficiary(1), 10)])))).FailsWith(403);
        await l.Issue(l.WfpOperator, "P1", "C1", (1, 10));
        (await l.Submit(l.UnwOperator, c => l.Entitlements.RevokeEntitlement(c, "P1", "C1", Ledger.Beneficiary(1), "Fraud"))).FailsWith(403);
    }

    [Fact]
    public async Task Only_the_gateway_submits_receipts_and_operators_of_the_registering_agency_manage_terminals()
    {
        var l = await new Ledger().WithRetailers();
        (await l.Submit(l.WfpOperator, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 10))))).FailsWith(403);
        (await l.Submit(l.Auditor, c => l.Redemptions.Redeem(c, l.Sign(l.Receipt(1, 10))))).FailsWith(403);
        (await l.Submit(l.UnwOperator, c => l.Retail.SuspendTerminal(c, "T-1", "Routine"))).FailsWith(403);
        Assert.True((await l.Submit(l.WfpOperator, c => l.Retail.SuspendTerminal(c, "T-1", "Routine"))).Succeeded);
    }

    [Fact]
    public async Task Auditors_only_read_and_operators_read_only_their_own_programmes()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("P1", 1000));
        (await l.Submit(l.Auditor, c => l.Settlements.Settle(c, new SettlementRequest("S1", "RT-1", Ledger.Start, "PAY-1")))).FailsWith(403);
        Assert.True((await l.Evaluate(l.Auditor, c => l.Queries.GetProgrammeTotals(c, "P1", 10, ""))).Succeeded);
        (await l.Evaluate(l.UnwOperator, c => l.Queries.GetProgrammeTotals(c, "P1", 10, ""))).FailsWith(403);
        (await l.Evaluate(l.Gateway, c => l.Queries.GetPayables(c, "RT-1", 10, ""))).FailsWith(403);
        (await l.Evaluate(l.WfpOperator, c => l.Queries.GetHistory(c, "Programme", ["P1"], 10, ""))).FailsWith(403);
        (await l.Evaluate(l.Gateway, c => l.Coordination.CheckAssistance(c, Ledger.Beneficiary(1), "2026-01-01", "2026-12-31"))).FailsWith(403);
    }
}
