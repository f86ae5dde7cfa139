using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace CashTransfer.Chaincode.Tests.Properties;

/// <summary>
/// Random operation sequences keep the books: per programme, issued (incl. top-ups) = redeemed - reversed +
/// revoked + reclaimed + outstanding, never above the budget, no negative balance; per retailer, payable =
/// redeemed - reversed - settled; two concurrent spends of one balance never both succeed. Issued, redeemed,
/// reversed and settled are counted from what the contract returned; the rest is read from the ledger.
/// </summary>
public class LedgerInvariantProperties
{
    [Fact]
    public void Random_operation_sequences_keep_every_programme_and_retailer_balanced()
    {
        Prop.ForAll(Operations.Scenarios, operations => new Scenario().RunAsync(operations).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();
    }

    private sealed class Scenario
    {
        private static readonly Dictionary<string, long> Budgets = new() { ["P-W"] = 2000, ["P-U"] = 1500, ["P-K"] = 3000 };
        private readonly Ledger _l = new();
        private readonly Dictionary<string, long> _issued = Budgets.Keys.ToDictionary(k => k, _ => 0L);
        private readonly Dictionary<string, long> _redeemed = Budgets.Keys.ToDictionary(k => k, _ => 0L);
        private readonly Dictionary<string, long> _reversed = Budgets.Keys.ToDictionary(k => k, _ => 0L);
        private readonly Dictionary<(string Retailer, string Currency), long> _payable = [];
        private readonly List<Redemption> _accepted = [];
        private int _settlements;

        private TestIdentity Owner(string programme) => programme == "P-U" ? _l.UnwOperator : _l.WfpOperator;

        public async Task RunAsync(Operation[] operations)
        {
            await _l.WithRetailers();
            await _l.CreateProgramme(_l.WfpOperator, Ledger.Definition("P-W", Budgets["P-W"], until: Ledger.Start.AddDays(3), retailers: ["RT-1", "RT-2"]));
            await _l.CreateProgramme(_l.UnwOperator, Ledger.Definition("P-U", Budgets["P-U"], priority: 0, kind: RestrictionKind.Voucher, categories: ["food"], until: Ledger.Start.AddDays(6), retailers: ["RT-1"]));
            await _l.CreateProgramme(_l.WfpOperator, Ledger.Definition("P-K", Budgets["P-K"], currency: "KES", until: Ledger.Start.AddDays(9), retailers: ["RT-1", "RT-2"]));
            foreach (var op in operations)
            {
                await ApplyAsync(op);
                await CheckInvariantsAsync(op);
            }
        }

        private async Task ApplyAsync(Operation op)
        {
            switch (op)
            {
                case IssueOp i:
                    var issue = await _l.Submit(Owner(i.Programme), c => _l.Entitlements.IssueEntitlements(c, new EntitlementBatch(i.Programme, i.Cycle, [new(Ledger.Beneficiary(i.Beneficiary), i.Amount)])));
                    if (issue.Succeeded) _issued[i.Programme] += issue.Value.IssuedTotal.Minor;
                    break;
                case TopUpOp t:
                    var topUp = await _l.Submit(Owner(t.Programme), c => _l.Entitlements.TopUpEntitlement(c, t.Programme, t.Cycle, Ledger.Beneficiary(t.Beneficiary), t.Amount));
                    if (topUp.Succeeded) _issued[t.Programme] += t.Amount;
                    break;
                case RevokeOp r:
                    await _l.Submit(Owner(r.Programme), c => _l.Entitlements.RevokeEntitlement(c, r.Programme, r.Cycle, Ledger.Beneficiary(r.Beneficiary), "Ineligible"));
                    break;
                case RedeemOp r:
                    Record(await _l.Redeem(_l.Receipt(r.Beneficiary, r.Amount, r.Terminal, r.Category, r.Currency)));
                    break;
                case ConcurrentRedeemOp c:
                    var (first, second) = await _l.Runner.SubmitConcurrentlyAsync(
                        _l.Gateway, ctx => _l.Redemptions.Redeem(ctx, _l.Sign(_l.Receipt(c.Beneficiary, c.FirstAmount))),
                        _l.Gateway, ctx => _l.Redemptions.Redeem(ctx, _l.Sign(_l.Receipt(c.Beneficiary, c.SecondAmount, c.SecondTerminal))));
                    Record(first);
                    Record(second);
                    if (Spent(first) && Spent(second))
                        Assert.Empty(first.Value.Allocations.Select(a => (a.ProgrammeId, a.Cycle)).Intersect(second.Value.Allocations.Select(a => (a.ProgrammeId, a.Cycle))));
                    break;
                case ReverseOp r when _accepted.Count > 0:
                    var target = _accepted[r.Pick % _accepted.Count];
                    var agency = target.Allocations[0].OwnerMsp == Ledger.Wfp ? _l.WfpOperator : _l.UnwOperator;
                    var reversal = r.ByAgency
                        ? await _l.Submit(agency, ctx => _l.Redemptions.ReverseByAgency(ctx, target.RedemptionId, "CashierError"))
                        : await _l.Submit(_l.Gateway, ctx => _l.Redemptions.ReverseByRetailer(ctx, _l.Sign(new ReversalRequest(target.RedemptionId, target.TerminalId, ReversalReason.GoodsReturned, 0))));
                    if (reversal.Succeeded)
                    {
                        foreach (var a in target.Allocations) _reversed[a.ProgrammeId] += a.AmountMinor;
                        _payable[(target.RetailerId, target.Amount.Currency)] -= target.Amount.Minor;
                        _accepted.Remove(target);
                    }
                    break;
                case SettleOp s:
                    var request = new SettlementRequest($"S-{++_settlements}", s.Retailer, _l.World.Clock, $"PAY-{_settlements}");
                    var settled = await _l.Submit(s.Wfp ? _l.WfpOperator : _l.UnwOperator, ctx => _l.Settlements.Settle(ctx, request));
                    if (settled.Succeeded)
                    {
                        foreach (var total in settled.Value.Totals) _payable[(s.Retailer, total.Currency)] -= total.Minor;
                        _accepted.RemoveAll(a => settled.Value.RedemptionIds.Contains(a.RedemptionId) && a.Allocations.All(x => x.OwnerMsp == settled.Value.AgencyMsp));
                    }
                    break;
                case AdvanceClockOp a:
                    _l.World.Clock = _l.World.Clock.AddHours(a.Hours);
                    break;
                case ReclaimOp r:
                    await _l.Submit(Owner(r.Programme), c => _l.Entitlements.ReclaimExpired(c, r.Programme, r.Cycle, 100));
                    break;
            }
        }

        private static bool Spent(TransactionOutcome<Redemption> o) => o.Succeeded && o.Value.Status == RedemptionStatus.Accepted;

        private void Record(TransactionOutcome<Redemption> outcome)
        {
            if (!Spent(outcome)) return;
            var r = outcome.Value;
            foreach (var a in r.Allocations) _redeemed[a.ProgrammeId] += a.AmountMinor;
            _payable[(r.RetailerId, r.Amount.Currency)] = _payable.GetValueOrDefault((r.RetailerId, r.Amount.Currency)) + r.Amount.Minor;
            _accepted.Add(r);
        }

        private async Task CheckInvariantsAsync(Operation after)
        {
            var entitlements = _l.All<Entitlement>(Keys.Entitlement);
            Assert.All(entitlements, e => Assert.True(e.Balance >= 0 && e.IsBalanced, $"after {after}: unbalanced {e}"));
            foreach (var programme in Budgets.Keys)
            {
                var totals = await TotalsAsync(programme);
                var budget = _l.Committed<ProgrammeBudget>(Keys.ProgrammeBudget, programme);
                Assert.True(budget.IssuedMinor <= budget.BudgetMinor, $"after {after}: {programme} above budget");
                Assert.Equal(_issued[programme], budget.IssuedMinor);
                Assert.Equal(_issued[programme], totals.Issued);
                Assert.Equal(_redeemed[programme], totals.Redeemed);
                Assert.Equal(_reversed[programme], totals.Reversed);
                Assert.Equal(_issued[programme], _redeemed[programme] - _reversed[programme] + totals.Revoked + totals.Reclaimed + totals.Outstanding);
                Assert.Equal(entitlements.Where(e => e.ProgrammeId == programme).Sum(e => e.Balance), totals.Outstanding);
            }
            var deltas = _l.All<PayableDelta>(Keys.PayableDelta);
            foreach (var ((retailer, currency), expected) in _payable)
                Assert.Equal(expected, deltas.Where(d => d.RetailerId == retailer && d.Amount.Currency == currency).Sum(d => d.Amount.Minor));
            Assert.All(deltas, d => Assert.True(_payable.ContainsKey((d.RetailerId, d.Amount.Currency))));
        }

        private async Task<ProgrammeTotals> TotalsAsync(string programme)
        {
            ProgrammeTotals? sum = null;
            string bookmark = "";
            do
            {
                var page = (await _l.Evaluate(_l.Auditor, c => _l.Queries.GetProgrammeTotals(c, programme, 2, bookmark))).Value;
                sum = sum is null ? page : sum.Add(page);
                bookmark = page.Bookmark;
            } while (bookmark != "");
            return sum;
        }
    }
}
