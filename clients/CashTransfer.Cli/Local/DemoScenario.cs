using System.Diagnostics;
using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using Fabric.Client;
using Fabric.Shim.Contracts;
using Contract = Fabric.Client.Contract;
using Spectre.Console;

namespace CashTransfer.Cli.Local;

/// <summary>
/// The demo the main job runs: WFP (food vouchers) and UNHCR (cash) each create a programme and issue
/// entitlements to the same beneficiaries; a retailer with four terminals serves them; the gateway submits the
/// terminals' signed receipts concurrently; an overspend is rejected with a recorded reason; a repeated receipt
/// gets its first outcome back; an auditor of a third agency reads the totals and the payables.
/// Every step goes through the Fabric Gateway protocol with endorsement by a majority of agencies.
/// </summary>
public sealed class DemoScenario(LocalStack stack, IAnsiConsole console)
{
    private const string Currency = "JOD";
    private const int TerminalCount = 4;
    private const int IssueBatchSize = 500;
    private static JsonSerializerOptions Json => ContractJson.Options;

    public async Task<DemoSummary> RunAsync(int beneficiaryCount, CancellationToken cancellationToken)
    {
        var run = $"{DateTime.UtcNow:MMddHHmm}{Random.Shared.Next(0x10000):x4}"; // unique per run: the ledger keeps earlier runs
        var wfp = stack.ContractAs("WFPMSP", "Operator");
        var unhcr = stack.ContractAs("UNHCRMSP", "Operator");
        var gateway = stack.ContractAs("WFPMSP", "Gateway");
        var auditor = stack.ContractAs("UNWomenMSP", "Auditor");

        var retailerId = $"shop-{run}";
        var food = $"wfp-food-{run}";
        var cash = $"unhcr-cash-{run}";
        var beneficiaries = Enumerable.Range(0, beneficiaryCount).Select(i => DemoBeneficiaries.Hash(run, i)).ToList();
        var terminals = Enumerable.Range(1, TerminalCount).Select(i => new DemoTerminal($"pos-{run}-{i}", retailerId)).ToList();

        await console.Progress().StartAsync(async progress =>
        {
            var setup = progress.AddTask("Register retailer, terminals and programmes", maxValue: 3 + TerminalCount);
            await SubmitAsync(wfp, "Retail:RegisterRetailer", new RetailerRegistration(retailerId, ["food", "hygiene"]));
            setup.Increment(1);
            foreach (var terminal in terminals)
            {
                await SubmitAsync(wfp, "Retail:RegisterTerminal", new TerminalRegistration(terminal.TerminalId, retailerId, terminal.PublicKeyPem));
                setup.Increment(1);
            }
            await SubmitAsync(wfp, "Programme:CreateProgramme", Programme(food, beneficiaryCount * 50_000L, priority: 1, new SpendingRestriction(RestrictionKind.Voucher, ["food"]), retailerId));
            setup.Increment(1);
            await SubmitAsync(unhcr, "Programme:CreateProgramme", Programme(cash, beneficiaryCount * 30_000L, priority: 2, new SpendingRestriction(RestrictionKind.Cash, []), retailerId));
            setup.Increment(1);

            var issue = progress.AddTask($"Issue entitlements to {beneficiaryCount} beneficiaries (WFP and UNHCR)", maxValue: beneficiaryCount * 2);
            foreach (var (contract, programme, amount) in new[] { (wfp, food, 50_000L), (unhcr, cash, 30_000L) })
                foreach (var chunk in beneficiaries.Chunk(IssueBatchSize))
                {
                    await SubmitAsync(contract, "Entitlement:IssueEntitlements", new EntitlementBatch(programme, "2026-12", chunk.Select(b => new EntitlementGrant(b, amount)).ToList()));
                    issue.Increment(chunk.Length);
                }
        });

        // Each terminal serves its own share of beneficiaries, receipts in journal order; terminals run concurrently.
        var shoppers = beneficiaries.Take(Math.Min(beneficiaryCount, 100)).ToList();
        var outcomes = new List<Redemption>();
        var stopwatch = Stopwatch.StartNew();
        await console.Status().StartAsync($"Redeeming {shoppers.Count} receipts from {TerminalCount} terminals concurrently", async _ =>
        {
            var perTerminal = await Task.WhenAll(terminals.Select((terminal, t) => Task.Run(async () =>
            {
                var results = new List<Redemption>();
                for (var i = t; i < shoppers.Count; i += TerminalCount)
                {
                    // 60 JOD of food: more than the food voucher alone, so allocation spills into the UNHCR cash entitlement.
                    var receipt = terminal.Sell(shoppers[i], new Money(60_000 + i % 5 * 1_000, Currency), "food");
                    results.Add(await SubmitAsync<Redemption>(gateway, "Redemption:Redeem", receipt));
                }
                return results;
            }, cancellationToken)));
            outcomes.AddRange(perTerminal.SelectMany(r => r));
        });
        stopwatch.Stop();

        // An overspend is refused with a recorded reason; a repeated receipt returns its first outcome unchanged.
        var overspend = terminals[0].Sell(beneficiaries[0], new Money(1_000_000, Currency), "food");
        outcomes.Add(await SubmitAsync<Redemption>(gateway, "Redemption:Redeem", overspend));
        var repeat = await SubmitAsync<Redemption>(gateway, "Redemption:Redeem", overspend);
        // The first outcome comes back unchanged: same status, recorded by the same (first) transaction.
        var repeats = repeat.TxId == outcomes[^1].TxId && repeat.Status == outcomes[^1].Status ? 1 : 0;

        var totals = new[] { await TotalsAsync(auditor, food), await TotalsAsync(auditor, cash) };
        var payable = await PayablesAsync(auditor, retailerId);
        var accepted = outcomes.Where(o => o.Status == RedemptionStatus.Accepted).ToList();
        foreach (var rejected in outcomes.Where(o => o.Status == RedemptionStatus.Rejected))
            console.MarkupLine($"[yellow]rejected[/] {rejected.RedemptionId}: {rejected.Rejection?.Code} ({Markup.Escape(rejected.Rejection?.Message ?? "")})");
        foreach (var t in terminals) t.Dispose();
        return new DemoSummary(totals, accepted.Count, outcomes.Count - accepted.Count, repeats, accepted.Sum(a => a.Amount.Minor), payable, Currency, stopwatch.Elapsed);
    }

    private static ProgrammeDefinition Programme(string id, long budget, int priority, SpendingRestriction restriction, string retailerId) =>
        new(id, new Money(budget, Currency), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), priority, restriction, [retailerId]);

    private static Task<byte[]> SubmitAsync<T>(Contract contract, string function, T argument) =>
        contract.SubmitTransactionAsync(function, JsonSerializer.Serialize(argument, Json));

    private static async Task<TResult> SubmitAsync<TResult>(Contract contract, string function, object argument) =>
        JsonSerializer.Deserialize<TResult>(await SubmitAsync(contract, function, argument), Json)!;

    private static async Task<ProgrammeTotals> TotalsAsync(Contract auditor, string programmeId)
    {
        ProgrammeTotals? total = null;
        var bookmark = "";
        do
        {
            var page = JsonSerializer.Deserialize<ProgrammeTotals>(await auditor.EvaluateTransactionAsync("Query:GetProgrammeTotals", programmeId, "1000", bookmark), Json)!;
            total = total is null ? page : total.Add(page);
            bookmark = page.Bookmark;
        } while (bookmark != "");
        return total;
    }

    private static async Task<long> PayablesAsync(Contract auditor, string retailerId)
    {
        long sum = 0;
        var bookmark = "";
        do
        {
            var page = JsonSerializer.Deserialize<Page<PayableDelta>>(await auditor.EvaluateTransactionAsync("Query:GetPayables", retailerId, "1000", bookmark), Json)!;
            sum += page.Items.Sum(p => p.Amount.Minor);
            bookmark = page.Bookmark;
        } while (bookmark != "");
        return sum;
    }
}
