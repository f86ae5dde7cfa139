using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Blocks;
using Fabric.Network.Ledger;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Validation;

/// <summary>The outcome of validating a block: one code per transaction, and the writes of the valid ones.</summary>
public sealed record ValidatedBlock(Block Block, TxValidationCode[] Codes, UpdateBatch Updates, IReadOnlyList<TransactionEnvelope?> Transactions);

/// <summary>
/// Validates an ordered block as a Fabric committer does, transaction by transaction in block order:
/// envelope and creator checks, duplicate txid (against the ledger and earlier in the block), endorsement
/// policy, then MVCC and phantom reads against the state plus the block's earlier valid writes. Writes
/// the TRANSACTIONS_FILTER metadata.
/// </summary>
public sealed class BlockValidator(ChannelContext channel, PeerLedger ledger)
{
    public ValidatedBlock Validate(Block block)
    {
        var count = block.Data.Data.Count;
        var codes = new TxValidationCode[count];
        var batch = new UpdateBatch();
        var parsed = new TransactionEnvelope?[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            codes[i] = ValidateOne(block.Data.Data[i], block.Header.Number, i, batch, seen, out parsed[i]);
            if (parsed[i] is { } tx) ledger.PrivateData?.Forget(tx.TransactionId);
        }
        ledger.PrivateData?.Expire(batch, ledger.State, block.Header.Number);
        ledger.PrivateData?.BlockDone(block.Header.Number);
        block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter] = ByteString.CopyFrom(codes.Select(c => (byte)c).ToArray());
        return new ValidatedBlock(block, codes, batch, parsed);
    }

    private TxValidationCode ValidateOne(ByteString envelope, ulong blockNum, int txNum, UpdateBatch batch, HashSet<string> seen, out TransactionEnvelope? tx)
    {
        tx = null;
        if (envelope.IsEmpty) return TxValidationCode.NilEnvelope;
        try
        {
            tx = TransactionEnvelope.Parse(envelope);
            // An endorser transaction carries exactly one chaincode action.
            if (tx.Type == HeaderType.EndorserTransaction && tx.Actions.Count != 1) return TxValidationCode.BadPayload;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            // Distinguish a broken envelope from a broken endorser payload, as Fabric does.
            try
            {
                var env = Envelope.Parser.ParseFrom(envelope);
                _ = Payload.Parser.ParseFrom(env.Payload);
                return TxValidationCode.BadPayload;
            }
            catch (InvalidProtocolBufferException)
            {
                return TxValidationCode.BadPayload;
            }
        }
        var code = TransactionValidator.CheckEnvelope(tx, channel);
        if (code != TxValidationCode.Valid) return code;
        if (ledger.FindTransaction(tx.TransactionId) is not null || !seen.Add(tx.TransactionId)) return TxValidationCode.DuplicateTxid;
        if (tx.SingleAction() is not { } action) return TxValidationCode.InvalidEndorserTransaction;
        code = TransactionValidator.CheckEndorsements(action, channel, ledger.State, batch);
        if (code != TxValidationCode.Valid) return code;
        code = ReadSetValidator.Validate(action.Namespaces, ledger.State, batch);
        if (code != TxValidationCode.Valid) return code;
        TransactionWrites.AddTo(batch, ledger.State, tx, blockNum, (ulong)txNum);
        ledger.PrivateData?.AddTo(batch, ledger.State, action, tx.TransactionId, new Ledger.Version(blockNum, (ulong)txNum));
        return TxValidationCode.Valid;
    }
}
