using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Blocks;
using Protos;

namespace Fabric.Network.Gateway;

/// <summary>
/// What event consumers read out of a committed block: chaincode events of valid transactions, filtered blocks. Each
/// transaction is read as a <see cref="TransactionOutline"/>, not parsed whole: a block's read-write sets and
/// endorsements are most of its bytes and no event shows them.
/// </summary>
public static class BlockEvents
{
    /// <summary>(index, validation code, outline or null when the entry is not a transaction) for each transaction of the block.</summary>
    public static IEnumerable<(int Index, TxValidationCode Code, TransactionOutline? Tx)> Transactions(Block block)
    {
        var filter = block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter];
        for (int i = 0; i < block.Data.Data.Count; i++)
            yield return (i, CodeOf(filter, i), TransactionOutline.Read(block.Data.Data[i]));
    }

    /// <summary>The chaincode events of the block's valid transactions, in transaction order.</summary>
    public static IEnumerable<ChaincodeEvent> ChaincodeEvents(Block block)
    {
        var filter = block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter];
        for (int i = 0; i < block.Data.Data.Count; i++)
            if (CodeOf(filter, i) == TxValidationCode.Valid && TransactionOutline.Read(block.Data.Data[i])?.Event is { } ev)
                yield return ev;
    }

    /// <summary>The block as DeliverFiltered sends it: txids, types, validation codes, events without payloads.</summary>
    public static FilteredBlock Filter(Block block, string channelId)
    {
        var filtered = new FilteredBlock { ChannelId = channelId, Number = block.Header.Number };
        foreach (var (_, code, tx) in Transactions(block))
        {
            if (tx is null) continue;
            var ft = new FilteredTransaction { Txid = tx.TransactionId, Type = tx.Type, TxValidationCode = code };
            if (tx.HasSingleAction)
            {
                var actions = new FilteredTransactionActions();
                var ev = tx.Event;
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

    private static TxValidationCode CodeOf(Google.Protobuf.ByteString filter, int index) =>
        index < filter.Length ? (TxValidationCode)filter.Span[index] : TxValidationCode.NotValidated;
}
