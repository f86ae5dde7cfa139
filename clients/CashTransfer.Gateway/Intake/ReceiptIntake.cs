using CashTransfer.Api;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Telemetry;
using CashTransfer.Pos.Receipts;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Intake;

/// <summary>
/// Takes a terminal's receipts into the outbox. Each receipt must be well formed, come from the uploading terminal,
/// carry a valid signature by a key the terminal has had (the key in force at the sale, as the ledger judges it), and continue its hash chain: sequence numbers
/// consecutive from the last accepted one, each previous hash equal to the hash of the receipt before it. A gap, a
/// fork (another receipt at a sequence number, or a broken chain) or a replay is refused and reported, and the batch
/// is stored all or nothing, in one transaction, before it is acknowledged.
/// </summary>
public sealed class ReceiptIntake(
    IDatabase database,
    OutboxRepository outbox,
    TerminalJournalRepository journals,
    TerminalRepository terminals,
    IOptions<ServiceOptions> options,
    TimeProvider clock,
    GatewayMetrics metrics,
    ILogger<ReceiptIntake> logger)
{
    public async Task<IntakeResult> AcceptAsync(string authenticatedTerminalId, ReceiptBatch? batch, CancellationToken ct)
    {
        if (batch?.Receipts is null || batch.Receipts.Count == 0)
            return Refuse(400, "batch-empty", "Empty batch", "A batch needs a terminalId and at least one receipt.");
        var max = options.Value.Intake.MaxBatchReceipts;
        if (batch.Receipts.Count > max)
            return Refuse(413, "batch-too-large", "Batch too large", $"A batch holds at most {max} receipts; this one has {batch.Receipts.Count}. Split it.");
        if (batch.TerminalId != authenticatedTerminalId || batch.Receipts.Any(r => r?.Receipt?.TerminalId != authenticatedTerminalId))
            return Refuse(403, "terminal-mismatch", "Receipts of another terminal", $"Terminal {authenticatedTerminalId} may upload only its own receipts.");

        var malformed = batch.Receipts.Select((r, i) => (i, problems: ReceiptRules.Problems(r?.Receipt))).Where(x => x.problems.Count > 0).ToList();
        if (malformed.Count > 0)
            return Refuse(400, "receipt-invalid", "Malformed receipts", "Some receipts have invalid fields; nothing was stored.",
                malformed.Select(m => $"receipts[{m.i}]: {string.Join(" ", m.problems)}").ToList());
        var receipts = batch.Receipts;
        if (receipts.Select(r => r.Receipt.RedemptionId).Distinct(StringComparer.Ordinal).Count() != receipts.Count)
            return Refuse(400, "receipt-duplicate", "Duplicate redemption ids", "A batch must not hold the same redemption id twice.");

        var terminal = await terminals.FindAsync(authenticatedTerminalId, ct);
        if (terminal is null)
            return Refuse(403, "terminal-unknown", "Unknown terminal", $"Terminal {authenticatedTerminalId} is not registered.");
        // Judged as the ledger judges them (KeyInForceRule): an offline sale signed before a key rotation with the key then
        // in force is the terminal's own. Only a receipt that no key the terminal ever had verifies is refused here; one
        // the rule refuses for its timing (KeyRetired, KeyReportedLost) is stored, so that the ledger records why.
        using (var keys = new TerminalKeyRing())
        {
            var history = terminal.KeyHistory();
            var forged = receipts.Select((r, i) => (r, i)).Where(x => !keys.Judge(history, x.r, acknowledgedAt: null).Signed)
                .Select(x => $"receipts[{x.i}] ({x.r.Receipt.RedemptionId})").ToList();
            if (forged.Count > 0)
                return Refuse(422, "receipt-signature-invalid", "Receipt signature invalid",
                    $"Some receipts are not signed by any key terminal {terminal.TerminalId} has had (current version {terminal.KeyVersion}); nothing was stored.", forged);
        }

        var hashes = receipts.Select(r => ReceiptEncoding.Hash(r.Receipt)).ToList();
        for (int i = 1; i < receipts.Count; i++)
        {
            if (receipts[i].Receipt.Sequence != receipts[i - 1].Receipt.Sequence + 1)
                return await AnomalyAsync(terminal.TerminalId, "gap", receipts[i - 1].Receipt.Sequence + 1, receipts[i].Receipt.Sequence,
                    $"Within the batch, sequence {receipts[i].Receipt.Sequence} follows {receipts[i - 1].Receipt.Sequence}.", ct);
            if (receipts[i].Receipt.PreviousReceiptHash != hashes[i - 1])
                return await AnomalyAsync(terminal.TerminalId, "fork", receipts[i].Receipt.Sequence, receipts[i].Receipt.Sequence,
                    $"Within the batch, receipt {receipts[i].Receipt.Sequence} does not carry the hash of receipt {receipts[i - 1].Receipt.Sequence}.", ct);
        }

        var now = clock.GetUtcNow();
        IntakeResult? refused = null;
        BatchAcknowledgement? ack = null;
        await using (var session = await database.BeginAsync(ct))
        {
            var position = await journals.GetForUpdateAsync(session, terminal.TerminalId);
            var existing = await outbox.FindAsync(session, receipts.Select(r => r.Receipt.RedemptionId).ToList());
            refused = CheckAgainstJournal(position, receipts, hashes, existing);
            if (refused is null)
            {
                for (int i = 0; i < receipts.Count; i++)
                {
                    var r = receipts[i];
                    await outbox.InsertAsync(session, new OutboxEntry
                    {
                        RedemptionId = r.Receipt.RedemptionId,
                        TerminalId = r.Receipt.TerminalId,
                        Sequence = r.Receipt.Sequence,
                        ReceiptHash = hashes[i],
                        // The ledger honours a receipt acknowledged before a key rotation or suspension; whatever time a terminal sent is replaced.
                        SignedReceipt = JsonSerializer.Serialize(r with { AcknowledgedAtUnixMs = now.ToUnixTimeMilliseconds() }, ApiJson.Options),
                        Status = ReceiptState.Received,
                        ReceivedAt = now.ToUnixTimeMilliseconds(),
                        NextAttemptAt = now.ToUnixTimeMilliseconds(),
                        UpdatedAt = now.ToUnixTimeMilliseconds(),
                    });
                }
                var last = new JournalPosition(terminal.TerminalId, receipts[^1].Receipt.Sequence, hashes[^1]);
                await journals.SaveAsync(session, last, now);
                await session.CommitAsync(ct);
                ack = new BatchAcknowledgement(terminal.TerminalId, receipts.Count, last.LastSequence, last.LastReceiptHash,
                    receipts.Select((r, i) => new AcknowledgedReceipt(r.Receipt.RedemptionId, r.Receipt.Sequence, hashes[i], ReceiptState.Received)).ToList());
            }
        }
        if (refused?.Problem is { Type: "gap" or "fork" } p)
            await RecordAnomalyAsync(terminal.TerminalId, p, ct);
        if (ack is null) return refused!;
        metrics.Received(ack.Accepted);
        logger.LogInformation("Stored {Count} receipts of terminal {TerminalId}, sequences {First}-{Last}", ack.Accepted, ack.TerminalId, receipts[0].Receipt.Sequence, ack.LastSequence);
        return IntakeResult.Ok(ack);
    }

    private static IntakeResult? CheckAgainstJournal(JournalPosition position, IReadOnlyList<SignedReceipt> receipts, IReadOnlyList<string> hashes, IReadOnlyList<OutboxEntry> existing)
    {
        var byId = existing.ToDictionary(e => e.RedemptionId, StringComparer.Ordinal);
        var replayed = new List<string>();
        for (int i = 0; i < receipts.Count; i++)
        {
            var r = receipts[i].Receipt;
            if (byId.TryGetValue(r.RedemptionId, out var stored))
            {
                if (stored.ReceiptHash == hashes[i] && stored.TerminalId == r.TerminalId) replayed.Add($"{r.RedemptionId} (sequence {r.Sequence}, {stored.Status})");
                else return Conflict("redemption-id-taken", "Redemption id already used", $"Redemption id {r.RedemptionId} belongs to another receipt; a terminal must choose a new id for each sale.");
            }
        }
        if (replayed.Count > 0)
            return Conflict("receipt-replayed", "Receipts already received", "These receipts were received before (same content); nothing was stored again. Fetch their outcomes instead.", replayed);

        var first = receipts[0].Receipt;
        var expected = position.LastSequence + 1;
        if (first.Sequence > expected)
            return IntakeResult.Refused(new IntakeProblem(409, "gap", "Gap in the journal",
                $"The terminal's next receipt must have sequence {expected}; this batch starts at {first.Sequence}. Upload the missing receipts first.", [], expected, first.Sequence));
        if (first.Sequence < expected || first.PreviousReceiptHash != position.LastReceiptHash)
            return IntakeResult.Refused(new IntakeProblem(409, "fork", "Fork in the journal",
                first.Sequence < expected
                    ? $"Sequence {first.Sequence} was already used by another receipt of this terminal; the journal has forked."
                    : $"Receipt {first.Sequence} does not carry the hash of the terminal's last accepted receipt ({position.LastSequence}); the journal has forked.",
                [], expected, first.Sequence));
        return null;
    }

    private async Task<IntakeResult> AnomalyAsync(string terminalId, string kind, long expected, long received, string detail, CancellationToken ct)
    {
        var problem = new IntakeProblem(409, kind, kind == "gap" ? "Gap in the journal" : "Fork in the journal", detail, [], expected, received);
        await RecordAnomalyAsync(terminalId, problem, ct);
        return IntakeResult.Refused(problem);
    }

    private async Task RecordAnomalyAsync(string terminalId, IntakeProblem p, CancellationToken ct)
    {
        metrics.Anomaly(p.Type);
        logger.LogWarning("Journal {Kind} from terminal {TerminalId}: expected sequence {Expected}, received {Received}", p.Type, terminalId, p.ExpectedSequence, p.ReceivedSequence);
        await journals.AddAnomalyAsync(new JournalAnomaly(Guid.NewGuid().ToString("N"), terminalId, p.Type, p.ExpectedSequence ?? 0, p.ReceivedSequence ?? 0, p.Detail,
            clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);
    }

    private static IntakeResult Conflict(string type, string title, string detail, IReadOnlyList<string>? receipts = null) =>
        IntakeResult.Refused(new IntakeProblem(409, type, title, detail, receipts ?? []));

    private static IntakeResult Refuse(int status, string type, string title, string detail, IReadOnlyList<string>? receipts = null) =>
        IntakeResult.Refused(new IntakeProblem(status, type, title, detail, receipts ?? []));
}
