using System.Runtime.CompilerServices;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;
using Dapper;

namespace CashTransfer.Gateway.Reconciliations;

/// <summary>
/// The receipts the service received, as a journal: the outbox rows in terminal and sequence order, read in pages
/// (keyset pagination, so a large outbox is never loaded at once), each with its outbox status. Their signatures
/// were verified at intake.
/// </summary>
public sealed class OutboxJournalSource(IDatabase database) : IJournalSource
{
    private const int PageSize = 2000;

    public string Name => JournalOrigin.Service;

    private sealed class Row
    {
        public string TerminalId { get; set; } = "";
        public long Sequence { get; set; }
        public string SignedReceipt { get; set; } = "";
        public string Status { get; set; } = "";
    }

    public async IAsyncEnumerable<JournalLine> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var (terminal, sequence, number) = ("", -1L, 0L);
        while (true)
        {
            List<Row> rows;
            await using (var connection = await database.OpenAsync(ct))
                rows = (await connection.QueryAsync<Row>(new CommandDefinition(
                    "SELECT terminal_id AS TerminalId, sequence AS Sequence, signed_receipt AS SignedReceipt, status AS Status FROM outbox " +
                    "WHERE terminal_id > @terminal OR (terminal_id = @terminal AND sequence > @sequence) ORDER BY terminal_id, sequence LIMIT @limit",
                    new { terminal, sequence, limit = PageSize }, cancellationToken: ct))).AsList();
            foreach (var row in rows)
            {
                number++;
                var signed = JsonSerializer.Deserialize<SignedReceipt>(row.SignedReceipt, ApiJson.Options);
                yield return signed?.Receipt is null
                    ? JournalLine.Malformed(Name, number, $"the outbox row of {row.TerminalId} #{row.Sequence} holds no receipt")
                    : JournalLine.Of(Name, number, signed, signatureChecked: true, row.Status);
            }
            if (rows.Count < PageSize) yield break;
            (terminal, sequence) = (rows[^1].TerminalId, rows[^1].Sequence);
        }
    }
}
