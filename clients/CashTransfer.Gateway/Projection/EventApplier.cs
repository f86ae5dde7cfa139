using CashTransfer.Api;
using System.Globalization;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.WebConsole;

namespace CashTransfer.Gateway.Projection;

/// <summary>
/// Applies one chaincode event to the read models, inside the caller's transaction: receipt statuses and payables
/// follow redemption, reversal and settlement events; terminal keys (with the keys they replaced and their suspensions) follow TerminalUpdated; cached balances that
/// an event changes are dropped (entitlement events do not carry per-beneficiary rows, so balances are read through);
/// programmes and retailers are listed for the web console.
/// </summary>
public sealed class EventApplier(ProjectionRepository views)
{
    public async Task ApplyAsync(Session s, LedgerEvent e)
    {
        switch (e.EventName)
        {
            case ChaincodeEvents.RedemptionAccepted:
            case ChaincodeEvents.RedemptionRejected:
            case ChaincodeEvents.RedemptionReversed:
                var r = Parse<RedemptionRecord>(e);
                await views.UpsertReceiptStatusAsync(s, new ReceiptStatusView
                {
                    RedemptionId = r.RedemptionId, TerminalId = r.TerminalId, RetailerId = r.RetailerId, LedgerStatus = r.Status,
                    Reason = r.Rejection?.Code, AmountMinor = r.Amount.Minor, Currency = r.Amount.Currency, TxId = e.TxId, BlockNumber = e.BlockNumber,
                });
                if (e.EventName == ChaincodeEvents.RedemptionAccepted)
                    foreach (var agency in (r.Allocations ?? []).GroupBy(a => a.OwnerMsp, StringComparer.Ordinal))
                        await views.AddPayableAsync(s, new PayableView
                        {
                            RetailerId = r.RetailerId, AgencyMsp = agency.Key, RedemptionId = r.RedemptionId,
                            AmountMinor = agency.Sum(a => a.AmountMinor), Currency = r.Amount.Currency, RecordedAt = r.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
                        });
                if (e.EventName == ChaincodeEvents.RedemptionReversed) await views.RemovePayablesAsync(s, r.RedemptionId);
                if (e.EventName != ChaincodeEvents.RedemptionRejected) await views.ForgetBalancesAsync(s, r.BeneficiaryHash);
                break;
            case ChaincodeEvents.RetailerSettled:
                var settlement = Parse<SettlementRecord>(e);
                foreach (var id in settlement.RedemptionIds) await views.RemovePayablesAsync(s, id, settlement.AgencyMsp);
                break;
            case ChaincodeEvents.TerminalUpdated:
                await TerminalRepository.UpsertAsync(s.Connection, s.Transaction, TerminalRecord.From(Parse<TerminalLedgerRecord>(e), DateTimeOffset.UtcNow));
                break;
            case ChaincodeEvents.EntitlementToppedUp:
            case ChaincodeEvents.EntitlementRevoked:
                var change = Parse<EntitlementChange>(e);
                if (change.BeneficiaryHash is not null) await views.ForgetBalancesAsync(s, change.BeneficiaryHash);
                break;
            case ChaincodeEvents.EntitlementsReclaimed:
                await views.ForgetProgrammeBalancesAsync(s, Parse<EntitlementChange>(e).ProgrammeId);
                break;
            case ChaincodeEvents.EntitlementsIssued:
                await views.ForgetAllBalancesAsync(s);
                break;
            case ChaincodeEvents.RetailerRegistered:
            case ChaincodeEvents.RetailerUpdated:
                var retailer = Parse<RetailerRecord>(e);
                await ConsoleViews.UpsertRetailerAsync(s, new RetailerView { RetailerId = retailer.RetailerId, RegisteredBy = retailer.RegisteredBy, Status = retailer.Status });
                break;
        }
    }

    private static T Parse<T>(LedgerEvent e) =>
        JsonSerializer.Deserialize<T>(e.Payload, ApiJson.Options) ?? throw new InvalidDataException($"Event {e.EventName} in transaction {e.TxId} has a JSON null payload.");
}
