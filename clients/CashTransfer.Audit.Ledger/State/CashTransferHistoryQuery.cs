using System.Text;
using System.Text.Json;
using Fabric.Client;

namespace CashTransfer.Audit.Ledger.State;

/// <summary>
/// The CashTransfer contract's answer for a key: <c>Query:GetHistory</c> (auditors only) returns a record's versions
/// newest first, so its first entry is the current value and the transaction that wrote it. It reaches every
/// record (programmes, budgets, retailers, terminals, entitlements, redemptions, payables, settlements); index keys
/// (by programme, terminal, retailer, time) are not records and no query returns them one by one.
/// </summary>
public sealed class CashTransferHistoryQuery(Contract contract) : IWorldStateQuery
{
    private static readonly IReadOnlySet<string> RecordTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Programme", "ProgrammeBudget", "Retailer", "Terminal", "Entitlement", "Redemption", "PayableDelta", "Settlement",
    };

    public string Namespace => contract.ChaincodeName;

    public async Task<QueriedState?> QueryAsync(string key, CancellationToken cancellationToken)
    {
        if (CompositeKey.TryParse(key) is not { } composite || !RecordTypes.Contains(composite.Type)) return null;
        var options = new ProposalOptions().AddArguments(composite.Type, JsonSerializer.Serialize(composite.Attributes), "1", "");
        var result = await contract.EvaluateAsync("Query:GetHistory", options, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var page = JsonDocument.Parse(result);
        var items = page.RootElement.GetProperty("items");
        if (items.GetArrayLength() == 0) return new QueriedState(false, ReadOnlyMemory<byte>.Empty, null);
        var newest = items[0];
        var txId = newest.GetProperty("txId").GetString();
        if (newest.GetProperty("isDelete").GetBoolean()) return new QueriedState(false, ReadOnlyMemory<byte>.Empty, txId);
        return new QueriedState(true, Encoding.UTF8.GetBytes(newest.GetProperty("value").GetRawText()), txId);
    }
}
