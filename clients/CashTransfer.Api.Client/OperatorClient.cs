using System.Net.Http.Headers;

namespace CashTransfer.Api.Client;

/// <summary>
/// An agency operator's calls: programmes, entitlements (bulk upload, top-up, revocation, reclaim), retailers and
/// terminals, settlement, reversal, overlap checks and journal anomalies. Changes answer once the ledger committed them.
/// Each change takes an optional Idempotency-Key: give the same one to repeat a change safely (e.g. from a script).
/// </summary>
/// <example><code>var programme = await client.Operator.SetProgrammeStatusAsync("wfp-food-2026", "Suspended");</code></example>
public sealed class OperatorClient
{
    private const string Base = "api/operator/";
    private readonly CashTransferClient _client;

    internal OperatorClient(CashTransferClient client) => _client = client;

    private static string Id(string id) => Uri.EscapeDataString(id);

    public async Task<ProgrammeRecord> CreateProgrammeAsync(ProgrammeDefinitionDto programme, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<ProgrammeRecord>(Base + "programmes", programme, idempotencyKey, ct)).Value;

    /// <summary>Your agency's programmes in id order, each with how much of its budget is issued; pages are fetched as they are read.</summary>
    public IAsyncEnumerable<ProgrammeBudgetDto> ListProgrammesAsync(CancellationToken ct = default) =>
        _client.PagesAsync<ProgrammeBudgetDto>(Base + "programmes", 100, ct);

    /// <summary>Retailers in id order, from the service's read model (it follows the ledger's events).</summary>
    public IAsyncEnumerable<RetailerView> ListRetailersAsync(CancellationToken ct = default) =>
        _client.PagesAsync<RetailerView>(Base + "retailers", 200, ct);

    /// <summary>Terminals in id order, of one retailer if given, from the service's read model.</summary>
    public IAsyncEnumerable<TerminalView> ListTerminalsAsync(string? retailerId = null, CancellationToken ct = default) =>
        _client.PagesAsync<TerminalView>(Base + "terminals" + (retailerId is null ? "" : "?retailerId=" + Id(retailerId)), 200, ct);

    public Task<ProgrammeRecord> GetProgrammeAsync(string programmeId, CancellationToken ct = default) =>
        _client.GetAsync<ProgrammeRecord>($"{Base}programmes/{Id(programmeId)}", ct);

    /// <summary>Sets a programme's status: <c>Active</c>, <c>Suspended</c> or <c>Closed</c>.</summary>
    public async Task<ProgrammeRecord> SetProgrammeStatusAsync(string programmeId, string status, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<ProgrammeRecord>($"{Base}programmes/{Id(programmeId)}/status", new ProgrammeStatusDto(status), idempotencyKey, ct)).Value;

    public async Task<ProgrammeRecord> AllowRetailerAsync(string programmeId, string retailerId, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<ProgrammeRecord>($"{Base}programmes/{Id(programmeId)}/retailers/{Id(retailerId)}", null, idempotencyKey, ct)).Value;

    public async Task<ProgrammeRecord> DisallowRetailerAsync(string programmeId, string retailerId, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.SendAsync<ProgrammeRecord>(HttpMethod.Delete, $"{Base}programmes/{Id(programmeId)}/retailers/{Id(retailerId)}", null,
            idempotencyKey ?? CashTransferClient.NewIdempotencyKey(), ct)).Value;

    /// <summary>
    /// Uploads a CSV of entitlements (header <c>beneficiaryHash,amountMinor</c>, up to 10^6 rows) for one cycle; the
    /// service answers at once with a job that issues them in the background (follow it with <see cref="GetUploadAsync"/>).
    /// <paramref name="openCsv"/> opens the CSV afresh each time it is read (e.g. <c>() => File.OpenRead(path)</c>): for
    /// each attempt, once to hash it for the request's signature and once to send it, so that it is never held in memory.
    /// </summary>
    public async Task<BulkJobDto> UploadEntitlementsAsync(string programmeId, string cycle, Func<Stream> openCsv, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.SendAsync<BulkJobDto>(HttpMethod.Post, $"{Base}entitlement-uploads?programmeId={Id(programmeId)}&cycle={Id(cycle)}", () =>
        {
            var content = new HashedStreamContent(openCsv);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
            return content;
        }, idempotencyKey ?? CashTransferClient.NewIdempotencyKey(), ct)).Value;

    /// <summary>Where an upload job stands (rows processed, issued, failed).</summary>
    public Task<BulkJobDto> GetUploadAsync(string jobId, CancellationToken ct = default) =>
        _client.GetAsync<BulkJobDto>($"{Base}entitlement-uploads/{Id(jobId)}", ct);

    /// <summary>An upload's per-row results as CSV (<c>row,outcome,message</c>), copied to <paramref name="destination"/>.</summary>
    public async Task DownloadUploadResultsAsync(string jobId, Stream destination, CancellationToken ct = default)
    {
        using var response = await _client.SendRawAsync(HttpMethod.Get, $"{Base}entitlement-uploads/{Id(jobId)}/results", null, null, ct, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(destination, ct);
    }

    public async Task<EntitlementRecord> TopUpEntitlementAsync(EntitlementTopUpDto topUp, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<EntitlementRecord>(Base + "entitlements/top-ups", topUp, idempotencyKey, ct)).Value;

    public async Task<EntitlementRecord> RevokeEntitlementAsync(EntitlementRevocationDto revocation, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<EntitlementRecord>(Base + "entitlements/revocations", revocation, idempotencyKey, ct)).Value;

    /// <summary>Reclaims up to <c>Limit</c> expired entitlements of a cycle; call again while <c>MoreRemain</c>.</summary>
    public async Task<ReclaimResultRecord> ReclaimExpiredAsync(ExpiredReclaimDto reclaim, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<ReclaimResultRecord>(Base + "entitlements/reclaims", reclaim, idempotencyKey, ct)).Value;

    public async Task<RetailerRecord> RegisterRetailerAsync(RetailerRegistrationDto retailer, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<RetailerRecord>(Base + "retailers", retailer, idempotencyKey, ct)).Value;

    /// <summary>
    /// Suspends a retailer your agency registered: from now on no sale of any of its terminals counts (they are recorded
    /// as rejected, <c>RetailerSuspended</c>) until it is reactivated. Repeating it changes nothing.
    /// </summary>
    public async Task<RetailerRecord> SuspendRetailerAsync(string retailerId, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<RetailerRecord>($"{Base}retailers/{Id(retailerId)}/suspend", null, idempotencyKey, ct)).Value;

    /// <summary>Reactivates a suspended retailer; sales made while it was suspended stay rejected.</summary>
    public async Task<RetailerRecord> ReactivateRetailerAsync(string retailerId, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<RetailerRecord>($"{Base}retailers/{Id(retailerId)}/reactivate", null, idempotencyKey, ct)).Value;

    public async Task<TerminalLedgerRecord> RegisterTerminalAsync(TerminalRegistrationDto terminal, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<TerminalLedgerRecord>(Base + "terminals", terminal, idempotencyKey, ct)).Value;

    public async Task<TerminalLedgerRecord> SuspendTerminalAsync(string terminalId, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<TerminalLedgerRecord>($"{Base}terminals/{Id(terminalId)}/suspend", null, idempotencyKey, ct)).Value;

    public async Task<TerminalLedgerRecord> ReactivateTerminalAsync(string terminalId, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<TerminalLedgerRecord>($"{Base}terminals/{Id(terminalId)}/reactivate", null, idempotencyKey, ct)).Value;

    public async Task<TerminalLedgerRecord> RotateTerminalKeyAsync(string terminalId, string publicKeyPem, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<TerminalLedgerRecord>($"{Base}terminals/{Id(terminalId)}/key", new TerminalKeyDto(publicKeyPem), idempotencyKey, ct)).Value;

    /// <summary>Settles what the caller's agency owes a retailer for redemptions up to the cut-off; 201 when new.</summary>
    public async Task<ApiResponse<SettlementRecord>> SettleAsync(SettlementRequestDto settlement, string? idempotencyKey = null, CancellationToken ct = default) =>
        await _client.PostJsonAsync<SettlementRecord>(Base + "settlements", settlement, idempotencyKey, ct);

    /// <summary>Reverses a redemption the caller's agency paid for (reason: GoodsReturned, CashierError, DuplicateSale, Fraud or Other).</summary>
    public async Task<RedemptionRecord> ReverseRedemptionAsync(string redemptionId, string reason, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<RedemptionRecord>($"{Base}redemptions/{Id(redemptionId)}/reversal", new AgencyReversalDto(reason), idempotencyKey, ct)).Value;

    /// <summary>Other agencies' assistance to a beneficiary in [from, to), without amounts or personal data.</summary>
    public Task<IReadOnlyList<AssistanceRecord>> CheckOverlapsAsync(string beneficiaryHash, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        _client.GetAsync<IReadOnlyList<AssistanceRecord>>($"{Base}overlaps?beneficiaryHash={Id(beneficiaryHash)}&from={Id(from.ToString("O"))}&to={Id(to.ToString("O"))}", ct);

    /// <summary>Gaps, forks and replays the service refused from terminals' journals (the latest 500), optionally of one terminal.</summary>
    public Task<IReadOnlyList<JournalAnomaly>> ListJournalAnomaliesAsync(string? terminalId = null, CancellationToken ct = default) =>
        _client.GetAsync<IReadOnlyList<JournalAnomaly>>(Base + "journal-anomalies" + (terminalId is null ? "" : $"?terminalId={Id(terminalId)}"), ct);
}
