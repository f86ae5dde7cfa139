using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>An agency pays a retailer off-ledger and records here which payables that payment settled.</summary>
[Contract("Settlement")]
public sealed class SettlementContract : Contract
{
    /// <summary>
    /// Settles every payable the calling agency owes the retailer for redemptions recorded at or before the
    /// cut-off. The settled payable deltas are removed, so no payable can be settled twice.
    /// </summary>
    [Transaction]
    public async Task<Settlement> Settle(Context ctx, SettlementRequest request)
    {
        var agency = Caller.RequireOperator(ctx);
        var ledger = new LedgerStore(ctx);
        var id = Identifiers.RequireId(Problem.Required(request, "A settlement request").SettlementId, "Settlement id");
        var retailerId = Identifiers.RequireId(request.RetailerId, "Retailer id");
        var paymentReference = Identifiers.RequireId(request.PaymentReference, "Payment reference");
        if (request.CutOff > ctx.Stub.TxTimestamp) throw Problem.Invalid("The cut-off must not be in the future.");
        await ledger.GetAsync<Retailer>(ledger.Key(Keys.Retailer, retailerId), $"Retailer {retailerId} is not registered.");
        var key = ledger.Key(Keys.Settlement, id);
        if (await ledger.FindAsync<Settlement>(key) is not null) throw Problem.Conflict($"Settlement {id} is recorded already.");

        var due = new List<PayableDelta>();
        await foreach (var kv in ctx.Stub.GetStateByPartialCompositeKeyAsync(Keys.PayableDelta, [retailerId, agency]))
        {
            var delta = LedgerJson.Deserialize<PayableDelta>(kv.Value);
            if (delta.RecordedAt <= request.CutOff) due.Add(delta);
        }
        if (due.Count == 0) throw Problem.Conflict($"{agency} owes retailer {retailerId} nothing unsettled up to {request.CutOff:O}.");
        foreach (var delta in due)
            await ledger.DeleteAsync(ledger.Key(Keys.PayableDelta, retailerId, agency, delta.RedemptionId));

        var totals = due.GroupBy(d => d.Amount.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Select(d => d.Amount).Aggregate((a, b) => a.Add(b))).ToList();
        var settlement = new Settlement(id, agency, retailerId, request.CutOff.ToUniversalTime(), paymentReference, totals,
            due.Select(d => d.RedemptionId).ToList(), ctx.Stub.TxTimestamp, ctx.Stub.TxId);
        await ledger.PutAsync(key, settlement);
        await ledger.PutIndexAsync(ledger.Key(Keys.SettlementByRetailer, retailerId, Keys.SortableTime(settlement.SettledAt), id), id);
        ledger.Emit(ChaincodeEvents.RetailerSettled, settlement);
        return settlement;
    }
}
