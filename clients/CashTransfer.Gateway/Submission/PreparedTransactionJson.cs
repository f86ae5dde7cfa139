using CashTransfer.Api;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Gateway.Submission;

/// <summary>How an endorsed transaction is kept in the outbox (the <c>prepared_tx</c> column).</summary>
public static class PreparedTransactionJson
{
    private sealed record Stored(string TxId, string Envelope, string Result);

    public static string Serialize(PreparedTransaction t) =>
        JsonSerializer.Serialize(new Stored(t.TxId, Convert.ToBase64String(t.Envelope), Convert.ToBase64String(t.Result)), ApiJson.Options);

    public static PreparedTransaction Deserialize(string json)
    {
        var s = JsonSerializer.Deserialize<Stored>(json, ApiJson.Options) ?? throw new InvalidDataException("Stored transaction is JSON null.");
        return new PreparedTransaction(s.TxId, Convert.FromBase64String(s.Envelope), Convert.FromBase64String(s.Result));
    }
}
