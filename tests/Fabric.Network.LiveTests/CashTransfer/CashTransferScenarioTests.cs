using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Local;
using CashTransfer.Contracts;
using Fabric.Client;
using Fabric.Client.Configuration;
using Fabric.Shim.Contracts;
using Protos;
using Contract = Fabric.Client.Contract;

namespace Fabric.Network.LiveTests.CashTransfer;

/// <summary>
/// The CashTransfer contract (C#, CCaaS with mutual TLS) on the real Fabric 2.5 network through our Fabric.Client:
/// the whole life of a programme, from creation to settlement, as the owning agency's operator, its gateway service
/// and its auditor. All three use the owning agency's peer, so a read after a commit status sees that commit.
/// </summary>
public sealed class CashTransferScenarioTests : IDisposable
{
    private const string Chaincode = "cashtransfer";
    private const string Currency = "USD";
    private const string Cycle = "2026-11";
    private static JsonSerializerOptions Json => ContractJson.Options;
    private readonly string _run = $"live{DateTime.UtcNow:HHmmss}{Random.Shared.Next(0x10000):x4}";
    private readonly List<IDisposable> _owned = [];

    private (Contract Operator, Contract Gateway, Contract Auditor) Owner()
    {
        var agency = LiveNetwork.Agencies[0];
        Contract Open(string role)
        {
            var connection = LiveNetwork.ConnectAs(agency, role);
            _owned.Add(connection);
            return connection.Contract(Chaincode);
        }
        return (Open("operator"), Open("gateway"), Open("auditor"));
    }

    private DemoTerminal Terminal(int i)
    {
        var terminal = new DemoTerminal($"pos-{_run}-{i}", $"shop-{_run}");
        _owned.Add(terminal);
        return terminal;
    }

    [LiveFact]
    public async Task A_programme_runs_from_creation_through_redemption_reversal_and_settlement()
    {
        var (op, gateway, auditor) = Owner();
        var retailer = $"shop-{_run}";
        var programme = $"cash-{_run}";
        var terminals = Enumerable.Range(0, 4).Select(Terminal).ToList();

        await Submit<Retailer>(op, "Retail:RegisterRetailer", new RetailerRegistration(retailer, ["food", "hygiene"]));
        foreach (var t in terminals)
            await Submit<Terminal>(op, "Retail:RegisterTerminal", new TerminalRegistration(t.TerminalId, retailer, t.PublicKeyPem));
        await Submit<Programme>(op, "Programme:CreateProgramme", new ProgrammeDefinition(programme, new Money(10_000_000, Currency),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), 1, new SpendingRestriction(RestrictionKind.Cash, []), [retailer]));

        // Bulk issue in one transaction.
        var beneficiaries = Enumerable.Range(0, 200).Select(i => DemoBeneficiaries.Hash(_run, i)).ToList();
        var issued = await Submit<IssueResult>(op, "Entitlement:IssueEntitlements",
            new EntitlementBatch(programme, Cycle, beneficiaries.Select(b => new EntitlementGrant(b, 20_000)).ToList()));
        Assert.Equal(200, issued.IssuedCount);
        Assert.Equal(10_000_000 - 200 * 20_000, issued.BudgetRemaining!.Minor);

        // Redemptions from signed receipts, four terminals at once, each for its own beneficiaries: all commit.
        var redemptions = await Task.WhenAll(terminals.Select((t, ti) => Task.Run(async () =>
        {
            var mine = new List<(Redemption, CommitStatus)>();
            for (var i = ti; i < 20; i += terminals.Count)
            {
                var submitted = await gateway.SubmitAsync("Redemption:Redeem", new ProposalOptions().AddArguments(Serialize(t.Sell(beneficiaries[i], new Money(5_000, Currency), "food"))));
                mine.Add((Parse<Redemption>(submitted.Result), await submitted.GetStatusAsync()));
            }
            return mine;
        })));
        var all = redemptions.SelectMany(r => r).ToList();
        Assert.Equal(20, all.Count);
        Assert.All(all, r => Assert.Equal(TxValidationCode.Valid, r.Item2.Code));
        Assert.All(all, r => Assert.Equal(RedemptionStatus.Accepted, r.Item1.Status));

        // An overspend is a recorded rejection; a repeat of it returns the first outcome and changes nothing.
        var overspend = terminals[0].Sell(beneficiaries[0], new Money(1_000_000, Currency), "food");
        var refused = await Submit<Redemption>(gateway, "Redemption:Redeem", overspend);
        Assert.Equal(RedemptionStatus.Rejected, refused.Status);
        Assert.Equal(RejectionCode.InsufficientBalance, refused.Rejection?.Code);
        var repeated = await Submit<Redemption>(gateway, "Redemption:Redeem", overspend);
        Assert.Equal(refused.TxId, repeated.TxId);
        Assert.Equal(RedemptionStatus.Rejected, repeated.Status);
        Assert.Equal(15_000, (await BalanceAsync(auditor, beneficiaries[0])));

        // The owning agency reverses one redemption: the entitlement and the payable are restored.
        var reversedOne = all[0].Item1;
        var reversed = Parse<Redemption>(await op.SubmitTransactionAsync("Redemption:ReverseByAgency", reversedOne.RedemptionId, "GoodsReturned"));
        Assert.Equal(RedemptionStatus.Reversed, reversed.Status);
        Assert.Equal(20_000, await BalanceAsync(auditor, reversedOne.BeneficiaryHash));

        // Settlement pays the 19 remaining redemptions once; a second settlement finds nothing owed. The cut-off is the
        // last redemption's own ledger time (inclusive): a clock-based one misses the redemptions of its last second.
        var cutOff = all.Max(r => r.Item1.RecordedAt);
        var settlement = await Submit<Settlement>(op, "Settlement:Settle", new SettlementRequest($"set-{_run}", retailer, cutOff, $"bank-{_run}"));
        Assert.Equal(19, settlement.RedemptionIds.Count);
        Assert.Equal(19 * 5_000, Assert.Single(settlement.Totals).Minor);
        var again = await Assert.ThrowsAnyAsync<GatewayException>(() => Submit<Settlement>(op, "Settlement:Settle", new SettlementRequest($"set2-{_run}", retailer, cutOff, $"bank2-{_run}")));
        Assert.Contains("nothing unsettled", again.Message + string.Join(" ", again.Details.Select(d => d.Message)), StringComparison.Ordinal);
        var payables = Parse<Page<PayableDelta>>(await auditor.EvaluateTransactionAsync("Query:GetPayables", retailer, "100", ""));
        Assert.Empty(payables.Items);

        // The auditor's totals, page by page, balance: issued = redeemed - reversed + revoked + reclaimed + outstanding.
        ProgrammeTotals? totals = null;
        var bookmark = "";
        do
        {
            var page = Parse<ProgrammeTotals>(await auditor.EvaluateTransactionAsync("Query:GetProgrammeTotals", programme, "64", bookmark));
            totals = totals is null ? page : totals.Add(page);
            bookmark = page.Bookmark;
        } while (bookmark != "");
        Assert.Equal(200, totals.Entitlements);
        Assert.Equal(4_000_000, totals.Issued);
        Assert.Equal(20 * 5_000, totals.Redeemed);
        Assert.Equal(5_000, totals.Reversed);
        Assert.Equal(4_000_000 - 19 * 5_000, totals.Outstanding);
        Assert.Equal(totals.Issued, totals.Redeemed - totals.Reversed + totals.Revoked + totals.Reclaimed + totals.Outstanding);
    }

    [LiveFact]
    public async Task Two_spends_endorsed_against_one_balance_end_valid_and_mvcc_read_conflict_on_real_Fabric()
    {
        var (op, gateway, auditor) = Owner();
        var retailer = $"shop-{_run}";
        var programme = $"cash-{_run}";
        var terminals = new[] { Terminal(0), Terminal(1) };
        await Submit<Retailer>(op, "Retail:RegisterRetailer", new RetailerRegistration(retailer, ["food"]));
        foreach (var t in terminals)
            await Submit<Terminal>(op, "Retail:RegisterTerminal", new TerminalRegistration(t.TerminalId, retailer, t.PublicKeyPem));
        await Submit<Programme>(op, "Programme:CreateProgramme", new ProgrammeDefinition(programme, new Money(100_000, Currency),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), 1, new SpendingRestriction(RestrictionKind.Cash, []), [retailer]));
        var beneficiary = DemoBeneficiaries.Hash(_run, 0);
        await Submit<IssueResult>(op, "Entitlement:IssueEntitlements", new EntitlementBatch(programme, Cycle, [new EntitlementGrant(beneficiary, 10_000)]));

        var endorsed = await Task.WhenAll(terminals.Select(t => gateway.NewProposal("Redemption:Redeem",
            new ProposalOptions().AddArguments(Serialize(t.Sell(beneficiary, new Money(7_000, Currency), "food")))).EndorseAsync()));
        var submitted = await Task.WhenAll(endorsed.Select(t => t.SubmitAsync()));
        var codes = (await Task.WhenAll(submitted.Select(s => s.GetStatusAsync()))).Select(s => s.Code).ToList();

        Assert.Single(codes, TxValidationCode.Valid);
        Assert.Single(codes, TxValidationCode.MvccReadConflict);
        Assert.Equal(3_000, await BalanceAsync(auditor, beneficiary));
    }

    [LiveFact]
    public async Task Chunks_endorsed_together_all_commit_on_a_budget_reservation_where_on_the_budget_one_conflicts()
    {
        var (op, _, auditor) = Owner();
        var programme = $"bulk-{_run}";
        await Submit<Programme>(op, "Programme:CreateProgramme", new ProgrammeDefinition(programme, new Money(1_000_000, Currency),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), 1, new SpendingRestriction(RestrictionKind.Cash, []), []));
        // Four chunks of four consecutive beneficiaries in hash order, as an upload sends them.
        var chunks = Enumerable.Range(0, 16).Select(i => DemoBeneficiaries.Hash(_run, i)).Order(StringComparer.Ordinal).Chunk(4).ToList();
        async Task<List<TxValidationCode>> EndorsedTogether(string cycle, Func<int, ReservationPart?> part)
        {
            var endorsed = await Task.WhenAll(chunks.Select((c, k) => op.NewProposal("Entitlement:IssueEntitlements", new ProposalOptions()
                .AddArguments(Serialize(new EntitlementBatch(programme, cycle, c.Select(b => new EntitlementGrant(b, 1_000)).ToList(), Reservation: part(k))))).EndorseAsync()));
            var submitted = await Task.WhenAll(endorsed.Select(e => e.SubmitAsync()));
            return (await Task.WhenAll(submitted.Select(s => s.GetStatusAsync()))).Select(s => s.Code).ToList();
        }

        var onBudget = await EndorsedTogether("c1", _ => null);
        Assert.Equal(1, onBudget.Count(c => c == TxValidationCode.Valid));
        Assert.Equal(3, onBudget.Count(c => c == TxValidationCode.MvccReadConflict));

        var reservation = $"job-{_run}";
        await Submit<ReservationResult>(op, "Entitlement:ReserveBudget", new BudgetReservationRequest(programme, reservation, 0, [4_000, 4_000, 4_000, 4_000]));
        Assert.All(await EndorsedTogether("c2", k => new ReservationPart(reservation, k)), c => Assert.Equal(TxValidationCode.Valid, c));
        var released = Parse<ReservationRelease>(await op.SubmitTransactionAsync("Entitlement:ReleaseBudgetReservation", programme, reservation));
        Assert.Equal((4, 16_000L, 0L), (released.PartsReleased, released.Issued.Minor, released.Returned.Minor));
        var totals = Parse<ProgrammeTotals>(await auditor.EvaluateTransactionAsync("Query:GetProgrammeTotals", programme, "100", ""));
        Assert.Equal((20_000L, 20_000L), (totals.BudgetIssuedMinor, totals.Issued)); // 4,000 on the budget, 16,000 from the parts
    }

    private static async Task<long> BalanceAsync(Contract auditor, string beneficiary) =>
        Parse<Page<Entitlement>>(await auditor.EvaluateTransactionAsync("Query:GetBeneficiaryEntitlements", beneficiary, "10", "")).Items.Sum(e => e.Balance);

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static T Parse<T>(byte[] bytes) => JsonSerializer.Deserialize<T>(bytes, Json)!;

    private static async Task<T> Submit<T>(Contract contract, string function, object argument) =>
        Parse<T>(await contract.SubmitTransactionAsync(function, Serialize(argument)));

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}
