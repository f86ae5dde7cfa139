using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>
/// The registering agency suspends and reactivates a retailer. While a retailer is suspended, every sale of every one
/// of its terminals is rejected (<c>RetailerSuspended</c>), whatever the terminals' own status: a sale counts only if
/// it was made, and acknowledged by the service, while the retailer was active. Reactivation does not revive a sale
/// rejected meanwhile (a redemption id keeps its first outcome), and sales made during the suspension stay refused.
/// Payables already recorded are unaffected: agencies still settle what they owe for sales made before.
/// </summary>
public sealed partial class RetailContract
{
    [Transaction]
    public Task<Retailer> SuspendRetailer(Context ctx, string retailerId)
    {
        var now = ctx.Stub.TxTimestamp;
        return UpdateRetailerAsync(ctx, retailerId, r => r.OpenSuspension is not null
            ? r
            : r with { Status = ParticipantStatus.Suspended, Suspensions = [.. r.SuspensionHistory, new RetailerSuspension(now, null)] });
    }

    [Transaction]
    public Task<Retailer> ReactivateRetailer(Context ctx, string retailerId)
    {
        var now = ctx.Stub.TxTimestamp;
        return UpdateRetailerAsync(ctx, retailerId, r => r.Status == ParticipantStatus.Active
            ? r
            : r with { Status = ParticipantStatus.Active, Suspensions = [.. r.SuspensionHistory.Select(s => s == r.OpenSuspension ? s with { Until = now } : s)] });
    }

    /// <summary>Applies <paramref name="change"/> as the registering agency's operator; a change that changes nothing writes nothing.</summary>
    private static async Task<Retailer> UpdateRetailerAsync(Context ctx, string retailerId, Func<Retailer, Retailer> change)
    {
        var ledger = new LedgerStore(ctx);
        var key = ledger.Key(Keys.Retailer, Identifiers.RequireId(retailerId, "Retailer id"));
        var retailer = await ledger.GetAsync<Retailer>(key, $"Retailer {retailerId} is not registered.");
        Caller.RequireOperatorOf(ctx, retailer.RegisteredBy, $"Retailer {retailerId}");
        var changed = change(retailer);
        if (changed == retailer) return retailer;
        await ledger.PutAsync(key, changed);
        ledger.Emit(ChaincodeEvents.RetailerUpdated, changed);
        return changed;
    }
}
