using System.Text.Json;

namespace CashTransfer.Api.Client;

/// <summary>
/// An auditor's calls: the chaincode's queries (read with the auditor identity), paged for the caller, and the
/// export of every redemption in a period. Lists are <see cref="IAsyncEnumerable{T}"/>: pages are fetched as they are read.
/// </summary>
/// <example><code>
/// var totals = await client.Audit.GetProgrammeTotalsAsync("wfp-food-2026");
/// await foreach (var payable in client.Audit.ListPayablesAsync("shop-1")) Console.WriteLine(payable.Amount);
/// </code></example>
public sealed class AuditorClient
{
    private const string Base = "api/audit/";
    private readonly CashTransferClient _client;

    internal AuditorClient(CashTransferClient client) => _client = client;

    private static string Id(string id) => Uri.EscapeDataString(id);

    /// <summary>A programme's totals over all its entitlements (the service answers per page; this adds the pages).</summary>
    public async Task<ProgrammeTotalsRecord> GetProgrammeTotalsAsync(string programmeId, CancellationToken ct = default)
    {
        ProgrammeTotalsRecord? sum = null;
        var bookmark = "";
        do
        {
            var page = await _client.GetAsync<ProgrammeTotalsRecord>($"{Base}programmes/{Id(programmeId)}/totals?pageSize=1000&bookmark={Id(bookmark)}", ct);
            sum = sum is null ? page : sum.Add(page);
            bookmark = page.Bookmark;
        } while (!string.IsNullOrEmpty(bookmark));
        return sum;
    }

    /// <summary>Every agency's programmes in id order, each with how much of its budget is issued.</summary>
    public IAsyncEnumerable<ProgrammeBudgetDto> ListProgrammesAsync(CancellationToken ct = default) =>
        _client.PagesAsync<ProgrammeBudgetDto>(Base + "programmes", 100, ct);

    /// <summary>Accepted redemptions in [from, to) (at most 93 days) per UTC day and programme.</summary>
    public Task<IReadOnlyList<DailyRedemptionsDto>> GetDailyRedemptionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        _client.GetAsync<IReadOnlyList<DailyRedemptionsDto>>($"{Base}daily-redemptions?from={Id(from.ToString("O"))}&to={Id(to.ToString("O"))}", ct);

    /// <summary>What agencies owe a retailer (unsettled payables, one per redemption and agency).</summary>
    public IAsyncEnumerable<PayableRecord> ListPayablesAsync(string retailerId, CancellationToken ct = default) =>
        _client.PagesAsync<PayableRecord>($"{Base}payables/{Id(retailerId)}", 1000, ct);

    public Task<RedemptionRecord> GetRedemptionAsync(string redemptionId, CancellationToken ct = default) =>
        _client.GetAsync<RedemptionRecord>($"{Base}redemptions/{Id(redemptionId)}", ct);

    public IAsyncEnumerable<RedemptionRecord> ListRedemptionsByTerminalAsync(string terminalId, CancellationToken ct = default) =>
        _client.PagesAsync<RedemptionRecord>($"{Base}redemptions?terminalId={Id(terminalId)}", 1000, ct);

    public IAsyncEnumerable<RedemptionRecord> ListRedemptionsByRetailerAsync(string retailerId, CancellationToken ct = default) =>
        _client.PagesAsync<RedemptionRecord>($"{Base}redemptions?retailerId={Id(retailerId)}", 1000, ct);

    /// <summary>Redemptions recorded in [from, to).</summary>
    public IAsyncEnumerable<RedemptionRecord> ListRedemptionsByPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        _client.PagesAsync<RedemptionRecord>($"{Base}redemptions?from={Id(from.ToString("O"))}&to={Id(to.ToString("O"))}", 1000, ct);

    public Task<SettlementRecord> GetSettlementAsync(string settlementId, CancellationToken ct = default) =>
        _client.GetAsync<SettlementRecord>($"{Base}settlements/{Id(settlementId)}", ct);

    public IAsyncEnumerable<SettlementRecord> ListSettlementsAsync(string retailerId, CancellationToken ct = default) =>
        _client.PagesAsync<SettlementRecord>($"{Base}settlements?retailerId={Id(retailerId)}", 1000, ct);

    /// <summary>Every version of a ledger record, newest first; <paramref name="recordType"/> e.g. <c>Programme</c>, <paramref name="key"/> its key parts.</summary>
    public IAsyncEnumerable<HistoryRecord> ListHistoryAsync(string recordType, IReadOnlyList<string> key, CancellationToken ct = default) =>
        _client.PagesAsync<HistoryRecord>($"{Base}history/{Id(recordType)}?{string.Join('&', key.Select(k => "key=" + Id(k)))}", 100, ct);

    /// <summary>Copies every redemption recorded in [from, to) as JSON lines to <paramref name="destination"/>.</summary>
    public async Task ExportAsync(DateTimeOffset from, DateTimeOffset to, Stream destination, CancellationToken ct = default)
    {
        using var response = await _client.SendRawAsync(HttpMethod.Get, $"{Base}export?from={Id(from.ToString("O"))}&to={Id(to.ToString("O"))}", null, null, ct,
            HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(destination, ct);
    }

    /// <summary>The service's outbox: how many receipts are in each status (received, submitted, committed, rejected).</summary>
    public Task<IReadOnlyDictionary<string, long>> CountOutboxAsync(CancellationToken ct = default) =>
        _client.GetAsync<IReadOnlyDictionary<string, long>>(Base + "outbox", ct);

    /// <summary>The service's read model of a retailer's payables (projected from chaincode events), to compare with the ledger's.</summary>
    public Task<IReadOnlyList<JsonElement>> ListPayablesReadModelAsync(string retailerId, CancellationToken ct = default) =>
        _client.GetAsync<IReadOnlyList<JsonElement>>($"{Base}read-models/payables/{Id(retailerId)}", ct);
}
