using CashTransfer.Contracts;

namespace CashTransfer.Api.Client;

/// <summary>
/// A POS terminal's calls (signed with the terminal's key, key id <c>terminal/&lt;id&gt;</c>): online redemption,
/// offline batch upload, reversal, outcomes and balances. The POS SDK's <c>SyncClient</c> uses it.
/// </summary>
/// <example><code>var ack = await client.Pos.UploadReceiptBatchAsync(batch, batchIdempotencyKey);</code></example>
public sealed class TerminalClient
{
    private const string Base = "api/pos/";
    private readonly CashTransferClient _client;

    internal TerminalClient(CashTransferClient client) => _client = client;

    /// <summary>Uploads a batch of the journal; answered once the service stored it (202), or with the stored answer for a repeated key.</summary>
    public Task<ApiResponse<BatchAcknowledgement>> UploadReceiptBatchAsync(ReceiptBatch batch, string idempotencyKey, CancellationToken ct = default) =>
        _client.PostJsonAsync<BatchAcknowledgement>(Base + "receipt-batches", batch, idempotencyKey, ct);

    /// <summary>Sends one sale online: 200 with its ledger outcome, or 202 when the ledger is slow (fetch it later).</summary>
    public Task<ApiResponse<ReceiptOutcomeDto>> RedeemAsync(SignedReceipt receipt, string idempotencyKey, CancellationToken ct = default) =>
        _client.PostJsonAsync<ReceiptOutcomeDto>(Base + "redemptions", receipt, idempotencyKey, ct);

    /// <summary>Reverses one of the retailer's redemptions (within 24 h) with a request this terminal signed.</summary>
    public async Task<RedemptionRecord> ReverseAsync(SignedReversal reversal, string? idempotencyKey = null, CancellationToken ct = default) =>
        (await _client.PostJsonAsync<RedemptionRecord>(Base + "reversals", reversal, idempotencyKey, ct)).Value;

    /// <summary>This terminal's receipts' outcomes from a journal sequence on (up to <paramref name="limit"/>, at most 1000).</summary>
    public Task<IReadOnlyList<ReceiptOutcomeDto>> ListOutcomesAsync(long fromSequence, int limit = 500, CancellationToken ct = default) =>
        _client.GetAsync<IReadOnlyList<ReceiptOutcomeDto>>($"{Base}outcomes?fromSequence={fromSequence}&limit={limit}", ct);

    public Task<ReceiptOutcomeDto> GetOutcomeAsync(string redemptionId, CancellationToken ct = default) =>
        _client.GetAsync<ReceiptOutcomeDto>($"{Base}outcomes/{Uri.EscapeDataString(redemptionId)}", ct);

    public Task<BalancesDto> GetBalancesAsync(string beneficiaryHash, CancellationToken ct = default) =>
        _client.GetAsync<BalancesDto>($"{Base}balances/{Uri.EscapeDataString(beneficiaryHash)}", ct);
}
