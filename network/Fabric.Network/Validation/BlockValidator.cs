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
/// Validates an ordered block as a Fabric committer does: first the checks that need nothing but the transaction
/// (envelope, creator signature, endorsement signatures; <see cref="SignatureCheck"/>), for all transactions at once on
/// every core; then in block order duplicate txids (against the ledger and earlier in the block), the endorsement
/// policy, MVCC and phantom reads against the state plus the block's earlier valid writes. Writes the
/// TRANSACTIONS_FILTER metadata.
/// </summary>
public sealed class BlockValidator(ChannelContext channel, PeerLedger ledger)
{
    public ValidatedBlock Validate(Block block)
    {
        var count = block.Data.Data.Count;
        var checks = SignatureCheck.RunAll(block.Data.Data, channel);
        var codes = new TxValidationCode[count];
        var batch = new UpdateBatch();
        var parsed = new TransactionEnvelope?[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            parsed[i] = checks[i].Transaction;
            codes[i] = ValidateInOrder(checks[i], block.Header.Number, i, batch, seen);
            if (parsed[i] is { } tx) ledger.PrivateData?.Forget(tx.TransactionId);
        }
        ledger.PrivateData?.Expire(batch, ledger.State, block.Header.Number);
        ledger.PrivateData?.BlockDone(block.Header.Number);
        block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter] = ByteString.CopyFrom(codes.Select(c => (byte)c).ToArray());
        return new ValidatedBlock(block, codes, batch, parsed);
    }

    private TxValidationCode ValidateInOrder(SignatureCheck check, ulong blockNum, int txNum, UpdateBatch batch, HashSet<string> seen)
    {
        if (check.Code != TxValidationCode.Valid) return check.Code;
        var tx = check.Transaction!;
        if (ledger.FindTransaction(tx.TransactionId) is not null || !seen.Add(tx.TransactionId)) return TxValidationCode.DuplicateTxid;
        if (check.Action is not { } action) return TxValidationCode.InvalidEndorserTransaction;
        var code = TransactionValidator.CheckEndorsements(action, check.Signers, channel, ledger.State, batch);
        if (code != TxValidationCode.Valid) return code;
        code = ReadSetValidator.Validate(action.Namespaces, ledger.State, batch);
        if (code != TxValidationCode.Valid) return code;
        TransactionWrites.AddTo(batch, ledger.State, tx, blockNum, (ulong)txNum);
        ledger.PrivateData?.AddTo(batch, ledger.State, action, tx.TransactionId, new Ledger.Version(blockNum, (ulong)txNum));
        return TxValidationCode.Valid;
    }
}
