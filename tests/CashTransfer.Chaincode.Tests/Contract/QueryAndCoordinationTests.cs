using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

public class QueryAndCoordinationTests
{
    private static async Task<Ledger> TwoAgencies()
    {
        var l = await new Ledger().WithRetailers();
        await l.CreateProgramme(l.WfpOperator, Ledger.Definition("WFP-1", 100_000, retailers: ["RT-1", "RT-2"]));
        await l.CreateProgramme(l.UnwOperator, Ledger.Definition("UNW-1", 100_000, kind: RestrictionKind.Voucher, categories: ["food", "hygiene"], retailers: ["RT-1"]));
        await l.Issue(l.WfpOperator, "WFP-1", "C1", Enumerable.Range(1, 5).Select(i => (i, 1000L * i)).ToArray());
        await l.Issue(l.UnwOperator, "UNW-1", "C1", (1, 25_000));
        return l;
    }

    [Fact]
    public async Task A_beneficiarys_entitlements_span_agencies_but_an_operator_sees_only_its_own()
    {
        var l = await TwoAgencies();
        var all = (await l.Evaluate(l.Gateway, c => l.Queries.GetBeneficiaryEntitlements(c, Ledger.Beneficiary(1), 10, ""))).Value;
        Assert.Equal(["UNW-1", "WFP-1"], all.Items.Select(e => e.ProgrammeId).Order());
        var own = (await l.Evaluate(l.UnwOperator, c => l.Queries.GetBeneficiaryEntitlements(c, Ledger.Beneficiary(1), 10, ""))).Value;
        Assert.Equal(["UNW-1"], own.Items.Select(e => e.ProgrammeId));
    }

    [Fact]
    public async Task Programme_entitlements_and_totals_page_through_with_bookmarks()
    {
        var l = await TwoAgencies();
        _ = (await l.Redeem(l.Receipt(2, 500))).Value;
        var seen = new List<string>();
        var totals = (ProgrammeTotals?)null;
        string bookmark = "";
        do
        {
            var page = (await l.Evaluate(l.WfpOperator, c => l.Queries.GetProgrammeEntitlements(c, "WFP-1", "C1", 2, bookmark))).Value;
            seen.AddRange(page.Items.Select(e => e.BeneficiaryHash));
            var t = (await l.Evaluate(l.Auditor, c => l.Queries.GetProgrammeTotals(c, "WFP-1", 2, bookmark))).Value;
            totals = totals is null ? t : totals.Add(t);
            bookmark = page.Bookmark;
            Assert.Equal(page.Bookmark, t.Bookmark);
        } while (bookmark != "");
        Assert.Equal(Enumerable.Range(1, 5).Select(Ledger.Beneficiary).Order(StringComparer.Ordinal), seen);
        Assert.Equal((5, 15_000L, 500L, 14_500L, 15_000L), (totals!.Entitlements, totals.Issued, totals.Redeemed, totals.Outstanding, totals.BudgetIssuedMinor));
        (await l.Evaluate(l.WfpOperator, c => l.Queries.GetProgrammeEntitlements(c, "WFP-1", "C1", 0, ""))).FailsWith(400);
        (await l.Evaluate(l.WfpOperator, c => l.Queries.GetProgrammeEntitlements(c, "WFP-1", "C1", 5000, ""))).FailsWith(400);
    }

    [Fact]
    public async Task Redemptions_are_found_by_terminal_in_sequence_by_retailer_and_by_period()
    {
        var l = await TwoAgencies();
        for (int i = 0; i < 3; i++)
        {
            _ = (await l.Redeem(l.Receipt(1, 10, redemptionId: $"T-1:R-{i}"))).Value;
            l.World.Clock = l.World.Clock.AddHours(1);
        }
        _ = (await l.Redeem(l.Receipt(1, 10, terminal: "T-2", redemptionId: "T-2:R-T2"))).Value;

        var byTerminal = (await l.Evaluate(l.Gateway, c => l.Queries.GetRedemptionsByTerminal(c, "T-1", 2, ""))).Value;
        Assert.Equal(["T-1:R-0", "T-1:R-1"], byTerminal.Items.Select(r => r.RedemptionId));
        var next = (await l.Evaluate(l.Gateway, c => l.Queries.GetRedemptionsByTerminal(c, "T-1", 2, byTerminal.Bookmark))).Value;
        Assert.Equal(["T-1:R-2"], next.Items.Select(r => r.RedemptionId));
        Assert.Equal("", next.Bookmark);

        var byRetailer = (await l.Evaluate(l.Auditor, c => l.Queries.GetRedemptionsByRetailer(c, "RT-2", 10, ""))).Value;
        Assert.Equal(["T-2:R-T2"], byRetailer.Items.Select(r => r.RedemptionId));

        var from = Ledger.Start.AddMinutes(30).ToString("O");
        var to = Ledger.Start.AddHours(2).AddMinutes(30).ToString("O");
        var byPeriod = (await l.Evaluate(l.Auditor, c => l.Queries.GetRedemptionsByPeriod(c, from, to, 10, ""))).Value;
        Assert.Equal(["T-1:R-1", "T-1:R-2"], byPeriod.Items.Select(r => r.RedemptionId));
        (await l.Evaluate(l.Auditor, c => l.Queries.GetRedemptionsByPeriod(c, "yesterday", to, 10, ""))).FailsWith(400);

        var payables = (await l.Evaluate(l.Auditor, c => l.Queries.GetPayables(c, "RT-1", 10, ""))).Value;
        Assert.Equal(3, payables.Items.Count);
    }

    [Fact]
    public async Task History_shows_every_version_of_a_record()
    {
        var l = await TwoAgencies();
        _ = (await l.Redeem(l.Receipt(2, 10))).Value;
        _ = (await l.Redeem(l.Receipt(2, 10))).Value;
        var history = (await l.Evaluate(l.Auditor, c => l.Queries.GetHistory(c, "Entitlement", [Ledger.Beneficiary(2), "WFP-1", "C1"], 2, ""))).Value;
        Assert.Equal([1980, 1990], history.Items.Select(h => h.Value!.Value.GetProperty("balance").GetInt64()));
        var rest = (await l.Evaluate(l.Auditor, c => l.Queries.GetHistory(c, "Entitlement", [Ledger.Beneficiary(2), "WFP-1", "C1"], 2, history.Bookmark))).Value;
        Assert.Equal([2000L], rest.Items.Select(h => h.Value!.Value.GetProperty("balance").GetInt64()));
        Assert.Equal("", rest.Bookmark);
        (await l.Evaluate(l.Auditor, c => l.Queries.GetHistory(c, "Secrets", ["x"], 2, ""))).FailsWith(400);
    }

    [Fact]
    public async Task Coordination_reveals_only_other_agencies_category_and_amount_band()
    {
        var l = await TwoAgencies();
        var answer = (await l.Evaluate(l.WfpOperator, c => l.Coordination.CheckAssistance(c, Ledger.Beneficiary(1), "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"))).Value;
        var row = Assert.Single(answer);
        Assert.Equal(new AssistanceRecord(Ledger.Unw, "voucher:food+hygiene", "USD 100-1000"), row);
        var json = JsonDocument.Parse(LedgerJson.Serialize(answer)).RootElement[0];
        Assert.Equal(["agencyMsp", "category", "amountBand"], json.EnumerateObject().Select(p => p.Name));

        var unw = (await l.Evaluate(l.UnwOperator, c => l.Coordination.CheckAssistance(c, Ledger.Beneficiary(1), "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"))).Value;
        Assert.Equal(new AssistanceRecord(Ledger.Wfp, "cash", "USD 10-100"), Assert.Single(unw));
        Assert.Empty((await l.Evaluate(l.WfpOperator, c => l.Coordination.CheckAssistance(c, Ledger.Beneficiary(1), "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z"))).Value);
        Assert.Empty((await l.Evaluate(l.UnwOperator, c => l.Coordination.CheckAssistance(c, Ledger.Beneficiary(9), "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"))).Value);
    }

    [Theory]
    [InlineData(999, "USD", "USD 0-10")]
    [InlineData(1000, "USD", "USD 10-100")]
    [InlineData(1_000_000, "USD", "USD 10000+")]
    [InlineData(500, "JPY", "JPY 100-1000")]
    [InlineData(5000, "KWD", "KWD 0-10")]
    public void Amount_bands_use_the_currencys_minor_units(long minor, string currency, string band) =>
        Assert.Equal(band, AmountBand.Of(minor, currency));
}
