using CashTransfer.Api;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Submission;

/// <summary>
/// The endorsed transaction an outbox entry holds, if any: as bytes (<see cref="OutboxEntry.PreparedEnvelope"/>), or as
/// the JSON with base64 that versions before migration 0007 wrote to <c>prepared_tx</c>, so that receipts they left in
/// flight are still checked and resent, never endorsed anew.
/// </summary>
public static class StoredTransaction
{
    private sealed record EarlierJson(string TxId, string Envelope, string Result);

    public static PreparedTransaction? Read(OutboxEntry entry)
    {
        if (entry.PreparedEnvelope is { } envelope)
            return new PreparedTransaction(
                entry.TxId ?? throw new InvalidDataException($"Receipt {entry.RedemptionId} has a stored transaction but no transaction id."),
                envelope,
                entry.PreparedResult ?? throw new InvalidDataException($"Receipt {entry.RedemptionId} has a stored transaction but no result."));
        if (entry.PreparedTx is not { } json) return null;
        var earlier = JsonSerializer.Deserialize<EarlierJson>(json, ApiJson.Options) ?? throw new InvalidDataException("Stored transaction is JSON null.");
        return new PreparedTransaction(earlier.TxId, Convert.FromBase64String(earlier.Envelope), Convert.FromBase64String(earlier.Result));
    }
}
