using Fabric.Network.Conformance.Tests.Support;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// Two read-modify-writes of one key, both endorsed by the official Node client before either is submitted,
/// end as on Fabric: one VALID, one MVCC_READ_CONFLICT (code 11), and the key moved on once.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class ConflictTests(ConformanceNetwork fixture)
{
    [Theory]
    [InlineData(ConformanceNetwork.CSharpChaincode)]
    [InlineData(ConformanceNetwork.NodeChaincode)]
    public async Task Concurrent_increments_of_one_key_commit_one_and_reject_the_other_as_an_MVCC_read_conflict(string chaincode)
    {
        var key = $"conflict-{chaincode}";
        var result = await fixture.RunClientScenarioAsync("conflict", chaincode, key);

        // Both endorsements read the same version, so both proposed the same next value.
        Assert.Equal(["6", "6"], result.GetProperty("endorsedResults").EnumerateArray().Select(e => e.GetString()));
        var transactions = result.GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(2, transactions.Count);
        var codes = transactions.Select(t => t.GetProperty("code").GetInt32()).Order().ToList();
        Assert.Equal([(int)TxValidationCode.Valid, (int)TxValidationCode.MvccReadConflict], codes);
        Assert.Equal(11, (int)TxValidationCode.MvccReadConflict);
        Assert.Single(transactions, t => t.GetProperty("successful").GetBoolean());

        foreach (var transaction in transactions)
        {
            var committed = fixture.Network.Ledger.FindTransaction(transaction.GetProperty("transactionId").GetString()!);
            Assert.NotNull(committed);
            Assert.Equal(transaction.GetProperty("code").GetInt32(), (int)committed.Value.Code);
            Assert.Equal(committed.Value.BlockNumber.ToString(), transaction.GetProperty("blockNumber").GetString());
        }
        Assert.Equal("6", result.GetProperty("finalValue").GetString());
        Assert.Equal("6", fixture.Network.Ledger.State.Get(chaincode, key)!.Value.ToStringUtf8());
    }
}
