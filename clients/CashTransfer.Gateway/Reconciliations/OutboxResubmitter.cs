using CashTransfer.Api;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Submission;
using CashTransfer.Reconciliation.Sources;

namespace CashTransfer.Gateway.Reconciliations;

/// <summary>
/// Submits a lost receipt again the normal way: a new outbox row (status received), which the submitter endorses and
/// commits like any receipt; the redemption id makes a repeat harmless on the ledger. A receipt the outbox already
/// holds is left alone (its row says what happened to it). The journal position is not moved: this receipt is older
/// than what the terminal uploaded since.
/// </summary>
public sealed class OutboxResubmitter(IDatabase database, OutboxRepository outbox, OutboxSubmitter submitter, TimeProvider clock,
    ILogger<OutboxResubmitter> logger) : IReceiptResubmitter
{
    public async Task<bool> ResubmitAsync(SignedReceipt receipt, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var session = await database.BeginAsync(ct))
        {
            if ((await outbox.FindAsync(session, [receipt.Receipt.RedemptionId])).Count > 0) return false;
            await outbox.InsertAsync(session, new OutboxEntry
            {
                RedemptionId = receipt.Receipt.RedemptionId, TerminalId = receipt.Receipt.TerminalId, Sequence = receipt.Receipt.Sequence,
                ReceiptHash = ReceiptEncoding.Hash(receipt.Receipt), SignedReceipt = JsonSerializer.Serialize(receipt, ApiJson.Options),
                Status = ReceiptState.Received, ReceivedAt = now, NextAttemptAt = now, UpdatedAt = now,
            });
            await session.CommitAsync(ct);
        }
        logger.LogInformation("Reconciliation resubmitted receipt {TerminalId} #{Sequence}", receipt.Receipt.TerminalId, receipt.Receipt.Sequence);
        submitter.Wake();
        return true;
    }
}
