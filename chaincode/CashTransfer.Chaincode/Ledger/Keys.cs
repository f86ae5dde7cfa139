using System.Globalization;
using Fabric.Shim.Stub;

namespace CashTransfer.Chaincode.Ledger;

/// <summary>
/// Where each record lives. Primary records and indexes are composite keys (partial-key queries find them);
/// the time index is a plain key with a fixed-width timestamp because Fabric range queries cannot span
/// composite keys. Index values hold the id of the record they point to.
/// </summary>
internal static class Keys
{
    public const string Programme = "Programme";
    public const string ProgrammeBudget = "ProgrammeBudget";
    /// <summary>BudgetReservation~programme~reservation~part: one per chunk of a bulk upload, deleted when released.</summary>
    public const string BudgetReservation = "BudgetReservation";
    public const string Retailer = "Retailer";
    public const string Terminal = "Terminal";
    /// <summary>Entitlement~beneficiary~programme~cycle: a beneficiary's entitlements across agencies in one partial-key query.</summary>
    public const string Entitlement = "Entitlement";
    /// <summary>EntitlementByProgramme~programme~cycle~beneficiary: written once at issue, never updated.</summary>
    public const string EntitlementByProgramme = "EntitlementByProgramme";
    public const string Redemption = "Redemption";
    public const string RedemptionByTerminal = "RedemptionByTerminal";
    public const string RedemptionByRetailer = "RedemptionByRetailer";
    /// <summary>PayableDelta~retailer~agency~redemption: one per redemption, so no hot key.</summary>
    public const string PayableDelta = "PayableDelta";
    public const string Settlement = "Settlement";
    public const string SettlementByRetailer = "SettlementByRetailer";
    /// <summary>Plain-key prefix of the redemption time index: "redemption-at/{timestamp}/{redemption id}".</summary>
    public const string RedemptionTimePrefix = "redemption-at/";

    /// <summary>Record types whose history may be read, with the number of key parts each takes.</summary>
    public static readonly IReadOnlyDictionary<string, int> HistoryRecordTypes = new Dictionary<string, int>
    {
        [Programme] = 1, [ProgrammeBudget] = 1, [BudgetReservation] = 3, [Retailer] = 1, [Terminal] = 1, [Entitlement] = 3,
        [Redemption] = 1, [PayableDelta] = 3, [Settlement] = 1,
    };

    public static string Of(IChaincodeStub stub, string type, params string[] parts) => stub.CreateCompositeKey(type, parts);

    public static string EntitlementKey(IChaincodeStub stub, string beneficiary, string programme, string cycle) =>
        stub.CreateCompositeKey(Entitlement, [beneficiary, programme, cycle]);

    public static string BudgetReservationKey(IChaincodeStub stub, string programme, string reservation, int part) =>
        stub.CreateCompositeKey(BudgetReservation, [programme, reservation, part.ToString("D5", CultureInfo.InvariantCulture)]);

    /// <summary>Fixed-width UTC time, so that key order is time order.</summary>
    public static string SortableTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Fixed-width journal sequence, so that key order is sequence order.</summary>
    public static string SortableSequence(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    public static string RedemptionTimeKey(DateTimeOffset recordedAt, string redemptionId) =>
        RedemptionTimePrefix + SortableTime(recordedAt) + "/" + redemptionId;
}
