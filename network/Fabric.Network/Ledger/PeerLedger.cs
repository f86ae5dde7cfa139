using Fabric.Protocol.Transactions;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Common;
using Fabric.Network.Blocks;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Ledger;

/// <summary>Where and how a transaction was committed.</summary>
public readonly record struct CommittedTransaction(ulong BlockNumber, int Index, TxValidationCode Code);

/// <summary>
/// The channel ledger: the durable block store, and derived from it the world state, the key history and
/// the transaction index. Only the block store and the members' private data files are persistent; the rest
/// is rebuilt from them when the ledger opens, so a crash at any point loses nothing that was reported committed.
/// </summary>
public sealed class PeerLedger : IDisposable
{
    private readonly BlockStore _blocks;
    private readonly RecentBlocks _recent = new(RecentBlocks.DefaultCapacity);
    private readonly ConcurrentDictionary<string, CommittedTransaction> _transactions = new();
    private readonly CommitWaiters _waiters = new();
    private readonly Lock _commitLock = new();
    private TaskCompletionSource _heightChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _commitHash = [];
    private byte[] _lastHeaderHash = [];

    private PeerLedger(BlockStore blocks, PrivateData.PrivateDataCommit? privateData)
    {
        _blocks = blocks;
        PrivateData = privateData;
    }

    /// <summary>How committed blocks update private data (hashes, members' copies, expiry); null on a channel without collections.</summary>
    public PrivateData.PrivateDataCommit? PrivateData { get; }

    public WorldState State { get; } = new();
    public HistoryIndex History { get; } = new();
    public ulong Height => _blocks.Height;

    /// <summary>SHA-256 of the last block's ASN.1 header: the next block's previous_hash.</summary>
    public ReadOnlySpan<byte> LastHeaderHash => _lastHeaderHash;

    /// <summary>How many bytes of a torn tail were dropped at open.</summary>
    public long RecoveredTornBytes => _blocks.TruncatedBytes;

    /// <summary>Raised after each block is durable and applied.</summary>
    public event Action<Block>? BlockCommitted;

    /// <summary>Opens (or creates) the ledger in <paramref name="directory"/> and rebuilds state from its blocks.</summary>
    public static PeerLedger Open(string directory, PrivateData.PrivateDataCommit? privateData = null)
    {
        var blocks = BlockStore.Open(Path.Combine(directory, "blocks.dat"));
        privateData?.Open(directory, blocks.Height);
        var ledger = new PeerLedger(blocks, privateData);
        ledger.Rebuild();
        privateData?.ReplayDone(ledger.Height);
        return ledger;
    }

    /// <summary>Deletes the ledger's files: the network starts again from a new genesis block.</summary>
    public static void Reset(string directory)
    {
        var file = Path.Combine(directory, "blocks.dat");
        if (File.Exists(file)) File.Delete(file);
        var privateFiles = Fabric.Network.PrivateData.PrivateDataCommit.Directory(directory);
        if (System.IO.Directory.Exists(privateFiles)) System.IO.Directory.Delete(privateFiles, recursive: true);
    }

    public Block GetBlock(ulong number) => _recent.Find(number) ?? _blocks.Read(number);

    public CommittedTransaction? FindTransaction(string txId) =>
        _transactions.TryGetValue(txId, out var t) ? t : null;

    /// <summary>How many uncommitted transaction ids callers are waiting for (none once they all gave up).</summary>
    internal int PendingWaits => _waiters.Count;

    /// <summary>Completes when <paramref name="txId"/> is committed (at once if it already is).</summary>
    public Task<CommittedTransaction> WaitForTransactionAsync(string txId, CancellationToken cancellationToken)
    {
        if (_transactions.TryGetValue(txId, out var done)) return Task.FromResult(done);
        return _waiters.WaitAsync(txId, () => _transactions.TryGetValue(txId, out var committed) ? committed : null, cancellationToken);
    }

    /// <summary>Completes once the ledger holds more than <paramref name="height"/> - 1 blocks.</summary>
    public async Task WaitForHeightAsync(ulong height, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_commitLock) changed = _heightChanged.Task;
            if (Height >= height) return;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits a validated block: <paramref name="block"/> carries its TRANSACTIONS_FILTER and
    /// <paramref name="updates"/> the writes of its valid transactions. Sets COMMIT_HASH, appends the block
    /// durably, then applies state, history and the transaction index.
    /// </summary>
    public void Commit(Block block, UpdateBatch updates, IReadOnlyList<TransactionEnvelope?> transactions)
    {
        lock (_commitLock)
        {
            if (block.Header.Number > 0)
                block.Metadata.Metadata[(int)BlockMetadataIndex.CommitHash] = new Metadata { Value = ByteString.CopyFrom(NextCommitHash(block, updates)) }.ToByteString();
            // Members' private data first, as Fabric's pvtdata store: a crash before the block drops it at open.
            PrivateData?.Persist(block.Header.Number);
            _blocks.Append(block);
            _recent.Add(block);
            Apply(block, updates, transactions);
            var previous = _heightChanged;
            _heightChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            previous.TrySetResult();
        }
        BlockCommitted?.Invoke(block);
    }

    public void Dispose()
    {
        _blocks.Dispose();
        PrivateData?.Dispose();
    }

    private void Rebuild()
    {
        for (ulong n = 0; n < _blocks.Height; n++)
        {
            var block = _blocks.Read(n);
            var filter = block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].Span;
            var batch = new UpdateBatch();
            var parsed = new List<TransactionEnvelope?>();
            for (int i = 0; i < block.Data.Data.Count; i++)
            {
                TransactionEnvelope? tx = null;
                try { tx = TransactionEnvelope.Parse(block.Data.Data[i]); }
                catch (Exception e) when (e is InvalidProtocolBufferException or FormatException) { }
                parsed.Add(tx);
                if (tx is not null && i < filter.Length && filter[i] == (byte)TxValidationCode.Valid)
                {
                    TransactionWrites.AddTo(batch, State, tx, n, (ulong)i);
                    if (tx.SingleAction() is { } action) PrivateData?.AddTo(batch, State, action, tx.TransactionId, new Version(n, (ulong)i));
                }
            }
            PrivateData?.Expire(batch, State, n);
            var stored = block.Metadata.Metadata[(int)BlockMetadataIndex.CommitHash];
            if (!stored.IsEmpty) _commitHash = Metadata.Parser.ParseFrom(stored).Value.ToByteArray();
            Apply(block, batch, parsed);
        }
    }

    private void Apply(Block block, UpdateBatch updates, IReadOnlyList<TransactionEnvelope?> transactions)
    {
        State.Apply(updates);
        var timestamps = new Dictionary<string, Google.Protobuf.WellKnownTypes.Timestamp>(StringComparer.Ordinal);
        foreach (var t in transactions)
            if (t is not null) timestamps.TryAdd(t.TransactionId, t.ChannelHeader.Timestamp);
        foreach (var u in updates.Updates.Where(u => u.IsValueWrite))
        {
            var ts = timestamps.GetValueOrDefault(u.TxId) ?? new Google.Protobuf.WellKnownTypes.Timestamp();
            History.Add(u.Namespace, u.Key, new HistoryEntry(u.TxId, u.NewValue?.Value ?? ByteString.Empty, u.NewValue is null, ts,
                u.NewValue?.Version ?? new Version(block.Header.Number, 0)));
        }
        var filter = block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].Span;
        for (int i = 0; i < transactions.Count; i++)
        {
            var tx = transactions[i];
            if (tx is null || string.IsNullOrEmpty(tx.TransactionId)) continue;
            var code = i < filter.Length ? (TxValidationCode)filter[i] : TxValidationCode.Valid;
            var committed = new CommittedTransaction(block.Header.Number, i, code);
            // The first occurrence of a txid stays the answer (a later duplicate is DUPLICATE_TXID).
            if (!_transactions.TryAdd(tx.TransactionId, committed)) continue;
            _waiters.Release(tx.TransactionId, committed);
        }
        _lastHeaderHash = Fabric.Protocol.Ledger.BlockHeaderHash.Compute(block.Header);
    }

    // Fabric: SHA-256(varint(len(filter)) || filter || update batch bytes || previous commit hash).
    private byte[] NextCommitHash(Block block, UpdateBatch updates)
    {
        var filter = block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = new byte[10];
        int n = WriteVarint(length, (ulong)filter.Length);
        sha.AppendData(length, 0, n);
        sha.AppendData(filter.Span);
        sha.AppendData(updates.ToCommitHashBytes());
        sha.AppendData(_commitHash);
        _commitHash = sha.GetHashAndReset();
        return _commitHash;
    }

    private static int WriteVarint(byte[] buffer, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[i++] = (byte)value;
        return i;
    }
}
