using System.Runtime.CompilerServices;
using System.Text;
using CashTransfer.Audit.Ledger.State;
using Google.Protobuf;
using Kvrwset;

namespace CashTransfer.Audit.Ledger.Tests;

/// <summary>
/// The rebuilt state (blocks below the verified height) against a key's history while the network keeps committing:
/// versions written at or above the height are expected and counted, one from below it, a missing version or another
/// value is a finding.
/// </summary>
public sealed class StateComparisonTests
{
    private const string Ns = "cashtransfer";
    private const ulong Height = 10;
    private static readonly string Key = "\0Entitlement\0b1\0p1\0c1\0";

    [Fact]
    public async Task A_key_not_written_since_the_height_compares_its_newest_version()
    {
        var result = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), [("t5", """{ "remaining": 100 }""")]);

        Assert.Empty(result.Findings);
        Assert.Equal((1, 0), (result.KeysCompared, result.KeysRewrittenAboveHeight));
    }

    [Fact]
    public async Task A_key_written_again_above_the_height_is_compared_as_of_the_height_and_counted()
    {
        var history = new[] { ("t13", """{"remaining":10}"""), ("t11", """{"remaining":60}"""), ("t5", """{"remaining":100}""") };

        var result = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), history);

        Assert.Empty(result.Findings);
        Assert.Equal((1, 1), (result.KeysCompared, result.KeysRewrittenAboveHeight));
    }

    [Fact]
    public async Task A_later_version_from_below_the_height_is_a_mismatch()
    {
        // t7 committed in block 7 < 10: the rebuilt state should have ended with it.
        var result = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), [("t13", "{}"), ("t7", "{}"), ("t5", """{"remaining":100}""")]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.StateMismatch, finding.Kind);
        Assert.Equal("written again by t7 in block 7", finding.Found);
    }

    [Fact]
    public async Task A_later_version_whose_block_the_peer_does_not_know_is_a_mismatch()
    {
        var result = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), [("ghost", "{}"), ("t5", """{"remaining":100}""")]);

        Assert.Contains("the peer knows no block of that transaction", Assert.Single(result.Findings).Found);
    }

    [Fact]
    public async Task Another_value_for_the_rebuilt_writer_is_a_mismatch()
    {
        var result = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), [("t11", "{}"), ("t5", """{"remaining":99}""")]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal("""{"remaining":99}""", finding.Found);
        Assert.Equal(1, result.KeysRewrittenAboveHeight);
    }

    [Fact]
    public async Task A_history_without_the_rebuilt_writer_or_without_any_version_is_a_mismatch()
    {
        var missing = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), [("t13", """{"remaining":100}""")]);
        var empty = await CompareAsync(Rebuilt("""{"remaining":100}""", "t5"), []);

        Assert.Contains("no version by t5", Assert.Single(missing.Findings).Found);
        Assert.Equal("no value from the chaincode's query", Assert.Single(empty.Findings).Found);
    }

    [Fact]
    public async Task The_history_is_read_only_as_far_as_the_rebuilt_writer()
    {
        var query = new HistoryQuery([("t12", "{}"), ("t5", """{"remaining":100}"""), ("t3", "{}"), ("t2", "{}")]);

        await StateComparison.RunAsync(Rebuilt("""{"remaining":100}""", "t5"), Height, query, BlockOf, CancellationToken.None);

        Assert.Equal(2, query.VersionsRead);
    }

    [Fact]
    public async Task Index_keys_no_query_reaches_are_counted_not_compared()
    {
        var state = Rebuilt("""{"remaining":100}""", "t5");
        state.Apply(Ns, Write("\0idx~programme\0p1\0b1\0", "x"), 5, 0, "t5");

        var result = await StateComparison.RunAsync(state, Height, new HistoryQuery([("t5", """{"remaining":100}""")]), BlockOf, CancellationToken.None);

        Assert.Equal((1, 1), (result.KeysCompared, result.KeysNotQueryable));
    }

    [Fact]
    public async Task Progress_counts_every_key_checked_reachable_or_not()
    {
        var state = Rebuilt("""{"remaining":100}""", "t5");
        state.Apply(Ns, Write("\0idx~programme\0p1\0b1\0", "x"), 5, 0, "t5");
        var reports = new Reports();

        await StateComparison.RunAsync(state, Height, new HistoryQuery([("t5", """{"remaining":100}""")]), BlockOf, CancellationToken.None, reports);

        Assert.Equal([(0, 2), (1, 2), (2, 2)], reports.Seen);
    }

    /// <summary>Progress reports as they are made (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class Reports : IProgress<(int Checked, int Keys)>
    {
        public List<(int, int)> Seen { get; } = [];
        public void Report((int Checked, int Keys) value) => Seen.Add(value);
    }

    private static Task<StateComparisonResult> CompareAsync(RebuiltState state, (string TxId, string Value)[] history) =>
        StateComparison.RunAsync(state, Height, new HistoryQuery(history), BlockOf, CancellationToken.None);

    // Transaction "tN" is in block N; any other name is unknown to the peer.
    private static Task<ulong?> BlockOf(string txId, CancellationToken _) =>
        Task.FromResult(txId.StartsWith('t') && ulong.TryParse(txId[1..], out var n) ? n : (ulong?)null);

    private static RebuiltState Rebuilt(string value, string txId)
    {
        var state = new RebuiltState();
        state.Apply(Ns, Write(Key, value), 5, 0, txId);
        return state;
    }

    private static KVRWSet Write(string key, string value) =>
        new() { Writes = { new KVWrite { Key = key, Value = ByteString.CopyFromUtf8(value) } } };

    /// <summary>One key's history, newest first; counts the versions the comparison read.</summary>
    private sealed class HistoryQuery((string TxId, string Value)[] history) : IWorldStateQuery
    {
        public int VersionsRead { get; private set; }
        public string Namespace => Ns;
        public bool Reaches(string key) => key.StartsWith("\0Entitlement\0", StringComparison.Ordinal);

        public async IAsyncEnumerable<KeyVersion> VersionsAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var (txId, value) in history)
            {
                await Task.Yield();
                VersionsRead++;
                yield return new KeyVersion(txId, false, Encoding.UTF8.GetBytes(value));
            }
        }
    }
}
