using Common;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Protos;

namespace Fabric.Protocol.Tests.Ledger;

/// <summary>Reading a block's transactions: ids, header types and validation codes as blocks/index.json lists them.</summary>
public class BlockTransactionVectorTests
{
    public static TheoryData<string> Transactions => VectorRows.Of(() =>
        VectorIndex.Blocks.SelectMany(b => b.Transactions.Select(t => $"{b.Path}#{t.Index}")));

    [Theory]
    [MemberData(nameof(Transactions))]
    public void Transaction_id_type_and_validation_code_match_the_index(string key)
    {
        var (path, index) = Split(VectorRows.Require(key));
        var (entry, block) = BlockVectorTests.Load(path);
        var expected = entry.Transactions.Single(t => t.Index == index);

        var transaction = BlockTransactions.Read(block)[index];

        Assert.Equal(expected.TxId, transaction.TransactionId);
        Assert.Equal(expected.HeaderType, HeaderTypeName(transaction.Envelope.Type));
        if (expected.ValidationCode is { } code)
        {
            Assert.Equal((TxValidationCode)code, transaction.ValidationCode);
            Assert.Equal(expected.ValidationCodeName, ValidationCodeName(transaction.ValidationCode!.Value));
        }
        else
        {
            Assert.Null(transaction.ValidationCode);
        }
        Assert.Equal(transaction.Envelope.Type == HeaderType.EndorserTransaction, transaction.Envelope.Actions.Count > 0);
    }

    [Theory]
    [MemberData(nameof(BlockVectorTests.Blocks), MemberType = typeof(BlockVectorTests))]
    public void Transactions_filter_matches_the_index(string path)
    {
        var (entry, block) = BlockVectorTests.Load(path);

        var codes = TransactionsFilter.Read(block);

        Assert.Equal(entry.TransactionsFilterHex, Convert.ToHexStringLower(codes.Select(c => (byte)c).ToArray()));
        if (codes.Count > 0) Assert.Equal(TransactionsFilter.Encode(codes), block.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter]);
    }

    [Fact]
    public void Block_31_has_a_valid_transaction_then_an_mvcc_read_conflict()
    {
        var entry = VectorIndex.Blocks.Single(b => b.Number == 31);
        var (_, block) = BlockVectorTests.Load(entry.Path);

        var transactions = BlockTransactions.Read(block);

        Assert.Equal([TxValidationCode.Valid, TxValidationCode.MvccReadConflict], transactions.Select(t => t.ValidationCode!.Value));
        Assert.Equal(entry.Transactions.Select(t => t.TxId), transactions.Select(t => t.TransactionId));
        Assert.True(transactions[0].IsValid);
        Assert.False(transactions[1].IsValid);
    }

    internal static (string Path, int Index) Split(string key) => (key[..key.IndexOf('#')], int.Parse(key[(key.IndexOf('#') + 1)..]));

    private static string HeaderTypeName(HeaderType type) =>
        Common.Payload.Descriptor.File.EnumTypes.Single(e => e.Name == "HeaderType").FindValueByNumber((int)type).Name;

    private static string ValidationCodeName(TxValidationCode code) =>
        Protos.Transaction.Descriptor.File.EnumTypes.Single(e => e.Name == "TxValidationCode").FindValueByNumber((int)code).Name;
}
