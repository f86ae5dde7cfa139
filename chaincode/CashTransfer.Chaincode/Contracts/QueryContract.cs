using System.Globalization;
using System.Text;
using System.Text.Json;
using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;
using Fabric.Shim.Stub;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>
/// Read-only questions, all paginated (page size 1-1000 and the bookmark of the previous page, empty for the
/// first). Operators see their own agency's entitlements; auditors see everything; the gateway sees what
/// terminals need (balances, terminals, redemption outcomes).
/// </summary>
[Contract("Query", IsDefault = true)]
public sealed partial class QueryContract : Contract
{
    [Transaction(TransactionKind.Evaluate)]
    public async Task<Programme> GetProgramme(Context ctx, string programmeId)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor, Role.Gateway);
        var ledger = new LedgerStore(ctx);
        return await ledger.GetAsync<Programme>(ledger.Key(Keys.Programme, Identifiers.RequireId(programmeId, "Programme id")), $"Programme {programmeId} does not exist.");
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<Retailer> GetRetailer(Context ctx, string retailerId)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor, Role.Gateway);
        var ledger = new LedgerStore(ctx);
        return await ledger.GetAsync<Retailer>(ledger.Key(Keys.Retailer, Identifiers.RequireId(retailerId, "Retailer id")), $"Retailer {retailerId} is not registered.");
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<Terminal> GetTerminal(Context ctx, string terminalId)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor, Role.Gateway);
        var ledger = new LedgerStore(ctx);
        return await ledger.GetAsync<Terminal>(ledger.Key(Keys.Terminal, Identifiers.RequireId(terminalId, "Terminal id")), $"Terminal {terminalId} is not registered.");
    }

    /// <summary>The recorded outcome of a receipt (accepted, rejected with reason, or reversed).</summary>
    [Transaction(TransactionKind.Evaluate)]
    public async Task<Redemption> GetRedemption(Context ctx, string redemptionId)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor, Role.Gateway);
        var ledger = new LedgerStore(ctx);
        return await ledger.GetAsync<Redemption>(ledger.Key(Keys.Redemption, Identifiers.RequireRedemptionReference(redemptionId)), $"Redemption {redemptionId} is not recorded.");
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<Settlement> GetSettlement(Context ctx, string settlementId)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor);
        var ledger = new LedgerStore(ctx);
        return await ledger.GetAsync<Settlement>(ledger.Key(Keys.Settlement, Identifiers.RequireId(settlementId, "Settlement id")), $"Settlement {settlementId} is not recorded.");
    }

    /// <summary>A beneficiary's entitlements with their balances; an operator sees only its own agency's.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<Entitlement>> GetBeneficiaryEntitlements(Context ctx, string beneficiaryHash, int pageSize, string bookmark)
    {
        var role = Caller.Require(ctx, Role.Operator, Role.Auditor, Role.Gateway);
        string? onlyAgency = role == Role.Operator ? ctx.ClientIdentity.MspId : null;
        return new LedgerStore(ctx).PageAsync(Keys.Entitlement, [Identifiers.RequireBeneficiaryHash(beneficiaryHash)], pageSize, bookmark, kv =>
        {
            var e = LedgerJson.Deserialize<Entitlement>(kv.Value);
            return Task.FromResult(onlyAgency is null || e.OwnerMsp == onlyAgency ? e : null);
        });
    }

    [Transaction(TransactionKind.Evaluate)]
    public async Task<Page<Entitlement>> GetProgrammeEntitlements(Context ctx, string programmeId, string cycle, int pageSize, string bookmark)
    {
        var ledger = new LedgerStore(ctx);
        await RequireOwnerOrAuditorAsync(ctx, ledger, programmeId);
        return await ledger.PageAsync(Keys.EntitlementByProgramme, [programmeId, Identifiers.RequireId(cycle, "Cycle")], pageSize, bookmark,
            kv => ledger.FindAsync<Entitlement>(Keys.EntitlementKey(ctx.Stub, Encoding.UTF8.GetString(kv.Value), programmeId, cycle)));
    }

    /// <summary>A terminal's redemptions in journal sequence order.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<Redemption>> GetRedemptionsByTerminal(Context ctx, string terminalId, int pageSize, string bookmark)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor, Role.Gateway);
        var ledger = new LedgerStore(ctx);
        return ledger.PageAsync(Keys.RedemptionByTerminal, [Identifiers.RequireId(terminalId, "Terminal id")], pageSize, bookmark, kv => RedemptionAsync(ledger, kv));
    }

    /// <summary>A retailer's redemptions in the order the ledger recorded them.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<Redemption>> GetRedemptionsByRetailer(Context ctx, string retailerId, int pageSize, string bookmark)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor);
        var ledger = new LedgerStore(ctx);
        return ledger.PageAsync(Keys.RedemptionByRetailer, [Identifiers.RequireId(retailerId, "Retailer id")], pageSize, bookmark, kv => RedemptionAsync(ledger, kv));
    }

    /// <summary>Redemptions recorded in [from, to) (ISO 8601 times), in time order.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<Redemption>> GetRedemptionsByPeriod(Context ctx, string from, string to, int pageSize, string bookmark)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor);
        var (start, end) = (Times.Parse(from, "from"), Times.Parse(to, "to"));
        if (end <= start) throw Problem.Invalid("The period must end after it starts.");
        var ledger = new LedgerStore(ctx);
        return ledger.RangePageAsync(Keys.RedemptionTimePrefix + Keys.SortableTime(start), Keys.RedemptionTimePrefix + Keys.SortableTime(end),
            pageSize, bookmark, kv => RedemptionAsync(ledger, kv));
    }

    /// <summary>What agencies owe the retailer and have not settled yet, one entry per redemption and agency.</summary>
    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<PayableDelta>> GetPayables(Context ctx, string retailerId, int pageSize, string bookmark)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor);
        return new LedgerStore(ctx).PageAsync(Keys.PayableDelta, [Identifiers.RequireId(retailerId, "Retailer id")], pageSize, bookmark,
            kv => Task.FromResult<PayableDelta?>(LedgerJson.Deserialize<PayableDelta>(kv.Value)));
    }

    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<Settlement>> GetSettlementsByRetailer(Context ctx, string retailerId, int pageSize, string bookmark)
    {
        Caller.Require(ctx, Role.Operator, Role.Auditor);
        var ledger = new LedgerStore(ctx);
        return ledger.PageAsync(Keys.SettlementByRetailer, [Identifiers.RequireId(retailerId, "Retailer id")], pageSize, bookmark,
            kv => ledger.FindAsync<Settlement>(ledger.Key(Keys.Settlement, Encoding.UTF8.GetString(kv.Value))));
    }

    /// <summary>Programme totals over one page of its entitlements; add pages up until the bookmark is empty (<see cref="ProgrammeTotals.Add"/>).</summary>
    [Transaction(TransactionKind.Evaluate)]
    public async Task<ProgrammeTotals> GetProgrammeTotals(Context ctx, string programmeId, int pageSize, string bookmark)
    {
        var ledger = new LedgerStore(ctx);
        var programme = await RequireOwnerOrAuditorAsync(ctx, ledger, programmeId);
        var budget = await ledger.GetAsync<ProgrammeBudget>(ledger.Key(Keys.ProgrammeBudget, programmeId), $"Programme {programmeId} has no budget record.");
        var page = await ledger.PageAsync(Keys.EntitlementByProgramme, [programmeId], pageSize, bookmark, kv =>
        {
            var (_, parts) = ctx.Stub.SplitCompositeKey(kv.Key);
            return ledger.FindAsync<Entitlement>(Keys.EntitlementKey(ctx.Stub, parts[2], parts[0], parts[1]));
        });
        var e = page.Items;
        // While an upload's reservation is open, what its parts issued is not yet in the budget record's issued amount.
        var issuedFromReservations = MoneyRules.Total((await ledger.AllAsync<BudgetReservationPart>(Keys.BudgetReservation, programmeId)).Select(p => p.IssuedMinor),
            $"The amount issued by programme {programmeId}'s open reservations");
        return new ProgrammeTotals(programmeId, programme.Currency, budget.BudgetMinor,
            MoneyRules.Plus(budget.IssuedMinor, issuedFromReservations, $"The amount issued by programme {programmeId}"), e.Count,
            Total(e, x => x.Issued), Total(e, x => x.Redeemed), Total(e, x => x.Reversed), Total(e, x => x.Revoked), Total(e, x => x.Reclaimed), Total(e, x => x.Balance), page.Bookmark);
    }

    private static long Total(IEnumerable<Entitlement> entitlements, Func<Entitlement, long> amount) =>
        MoneyRules.Total(entitlements.Select(amount), "A programme total over this page");

    /// <summary>
    /// The versions of one record, newest first. Record types and their key parts: Programme, ProgrammeBudget,
    /// Retailer, Terminal, Redemption, Settlement (id); Entitlement (beneficiary hash, programme, cycle);
    /// PayableDelta (retailer, agency, redemption). The bookmark is the number of versions already read.
    /// </summary>
    [Transaction(TransactionKind.Evaluate)]
    public async Task<Page<HistoryEntry>> GetHistory(Context ctx, string recordType, string[] keyParts, int pageSize, string bookmark)
    {
        Caller.Require(ctx, Role.Auditor);
        if (!Keys.HistoryRecordTypes.TryGetValue(recordType ?? "", out int parts) || keyParts is null || keyParts.Length != parts)
            throw Problem.Invalid($"Record type must be one of {string.Join(", ", Keys.HistoryRecordTypes.Keys)} with its key parts.");
        foreach (var part in keyParts) Identifiers.RequireId(part, "Key part");
        int skip = string.IsNullOrEmpty(bookmark) ? 0 : int.TryParse(bookmark, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Problem.Invalid("The history bookmark is the number of versions already read.");
        Paging.Require(pageSize);
        var items = new List<HistoryEntry>();
        int index = 0;
        bool more = false;
        await foreach (var m in ctx.Stub.GetHistoryForKeyAsync(ctx.Stub.CreateCompositeKey(recordType!, keyParts)))
        {
            if (index++ < skip) continue;
            if (items.Count == pageSize) { more = true; break; }
            items.Add(new HistoryEntry(m.TxId, m.Timestamp, m.IsDelete, m.IsDelete ? null : JsonDocument.Parse(m.Value).RootElement.Clone()));
        }
        return new Page<HistoryEntry>(items, more ? (skip + items.Count).ToString(CultureInfo.InvariantCulture) : "");
    }

    private static Task<Redemption?> RedemptionAsync(LedgerStore ledger, KeyValue index) =>
        ledger.FindAsync<Redemption>(ledger.Key(Keys.Redemption, Encoding.UTF8.GetString(index.Value)));

    private static async Task<Programme> RequireOwnerOrAuditorAsync(Context ctx, LedgerStore ledger, string programmeId)
    {
        var role = Caller.Require(ctx, Role.Operator, Role.Auditor);
        var programme = await ledger.GetAsync<Programme>(ledger.Key(Keys.Programme, Identifiers.RequireId(programmeId, "Programme id")), $"Programme {programmeId} does not exist.");
        if (role == Role.Operator) Caller.RequireOperatorOf(ctx, programme.OwnerMsp, $"Programme {programmeId}");
        return programme;
    }
}
