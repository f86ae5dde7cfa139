using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Blocks;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Gateway;

/// <summary>What event consumers read out of a committed block: chaincode events of valid transactions, filtered blocks.</summary>
public static class BlockEvents
{
    /// <summary>(txid, validation code, parsed transaction or null) for each transaction of the block.</summary>
    public static IEnumerable<(int Index, TxValidationCode Code, TransactionEnvelope? Tx)> Transactions(Block block)
    {
        var filter = block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].Span.ToArray();
        for (int i = 0; i < block.Data.Data.Count; i++)
        {
            TransactionEnvelope? tx = null;
            try { tx = TransactionEnvelope.Parse(block.Data.Data[i]); }
            catch (Exception e) when (e is InvalidProtocolBufferException or FormatException) { }
            yield return (i, i < filter.Length ? (TxValidationCode)filter[i] : TxValidationCode.NotValidated, tx);
        }
    }

    /// <summary>The chaincode events of the block's valid transactions, in transaction order.</summary>
    public static IEnumerable<ChaincodeEvent> ChaincodeEvents(Block block) =>
        Transactions(block)
            .Where(t => t.Code == TxValidationCode.Valid && t.Tx?.SingleAction()?.Event is not null)
            .Select(t => t.Tx!.SingleAction()!.Event!);

    /// <summary>The block as DeliverFiltered sends it: txids, types, validation codes, events without payloads.</summary>
    public static FilteredBlock Filter(Block block, string channelId)
    {
        var filtered = new FilteredBlock { ChannelId = channelId, Number = block.Header.Number };
        foreach (var (_, code, tx) in Transactions(block))
        {
            if (tx is null) continue;
            var ft = new FilteredTransaction { Txid = tx.TransactionId, Type = tx.Type, TxValidationCode = code };
            if (tx.SingleAction() is { } action)
            {
                var actions = new FilteredTransactionActions();
                var ev = action.Event;
                actions.ChaincodeActions.Add(new FilteredChaincodeAction
                {
                    ChaincodeEvent = ev is null ? null : new ChaincodeEvent { ChaincodeId = ev.ChaincodeId, TxId = ev.TxId, EventName = ev.EventName },
                });
                ft.TransactionActions = actions;
            }
            filtered.FilteredTransactions.Add(ft);
        }
        return filtered;
    }
}
