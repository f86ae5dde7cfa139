using Common;
using Fabric.Client;
using Fabric.Client.Configuration;
using Protos;

namespace Fabric.Network.LiveTests;

/// <summary>What the ledger recorded for a transaction, read through the peer's qscc system chaincode.</summary>
internal sealed record RecordedTransaction(TxValidationCode Validation, IReadOnlyList<string> EndorserMspIds)
{
    public static async Task<RecordedTransaction> ReadAsync(GatewayConnection connection, string transactionId)
    {
        var channel = connection.Settings.Channel!;
        var qscc = connection.Gateway.GetNetwork(channel).GetContract("qscc");
        var processed = ProcessedTransaction.Parser.ParseFrom(await qscc.EvaluateTransactionAsync("GetTransactionByID", channel, transactionId));
        var payload = Payload.Parser.ParseFrom(processed.TransactionEnvelope.Payload);
        var transaction = Protos.Transaction.Parser.ParseFrom(payload.Data);
        var action = ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload);
        var endorsers = action.Action.Endorsements
            .Select(e => Msp.SerializedIdentity.Parser.ParseFrom(e.Endorser).Mspid)
            .ToList();
        return new RecordedTransaction((TxValidationCode)processed.ValidationCode, endorsers);
    }
}
