using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Fabric.Client;

namespace CashTransfer.Audit.Ledger.State;

/// <summary>
/// The CashTransfer contract's answer for a key: <c>Query:GetHistory</c> (auditors only) returns a record's versions
/// newest first, a page at a time. It reaches every record (programmes, budgets, budget reservations' parts, retailers,
/// terminals, entitlements, redemptions, payables, settlements); index keys (by programme, terminal, retailer, time) are not records and no
/// query returns them one by one.
/// </summary>
public sealed class CashTransferHistoryQuery(Contract contract) : IWorldStateQuery
{
    private static readonly IReadOnlySet<string> RecordTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Programme", "ProgrammeBudget", "BudgetReservation", "Retailer", "Terminal", "Entitlement", "Redemption", "PayableDelta", "Settlement",
    };

    // Most keys were not written since the verified height, or once: a first page of two holds the version looked for.
    private const int FirstPageSize = 2;
    private const int LaterPageSize = 200;

    public string Namespace => contract.ChaincodeName;

    public bool Reaches(string key) => CompositeKey.TryParse(key) is { } composite && RecordTypes.Contains(composite.Type);

    public async IAsyncEnumerable<KeyVersion> VersionsAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var composite = CompositeKey.TryParse(key) ?? throw new ArgumentException("Not a composite key.", nameof(key));
        var attributes = JsonSerializer.Serialize(composite.Attributes);
        var bookmark = "";
        var pageSize = FirstPageSize;
        do
        {
            var options = new ProposalOptions().AddArguments(composite.Type, attributes, pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark);
            var result = await contract.EvaluateAsync("Query:GetHistory", options, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var page = JsonDocument.Parse(result);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                var isDelete = item.GetProperty("isDelete").GetBoolean();
                var value = isDelete ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(item.GetProperty("value").GetRawText());
                yield return new KeyVersion(item.GetProperty("txId").GetString() ?? "", isDelete, value);
            }
            bookmark = page.RootElement.GetProperty("bookmark").GetString() ?? "";
            pageSize = LaterPageSize;
        }
        while (bookmark.Length > 0);
    }
}
