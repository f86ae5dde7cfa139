using System.Text;
using Fabric.Shim.Testing;

namespace CashTransfer.Chaincode.Tests.Stub;

public class TransactionRunnerTests
{
    private readonly TransactionRunner _runner = new(new InMemoryWorldState());
    private readonly TestIdentity _user = TestIdentity.Create("Org1MSP", "user1");

    private static async Task<int> Increment(Fabric.Shim.Contracts.Context ctx)
    {
        var value = await ctx.Stub.GetStateAsync("counter");
        int next = (value.Length == 0 ? 0 : int.Parse(Encoding.UTF8.GetString(value))) + 1;
        await ctx.Stub.PutStateAsync("counter", Encoding.UTF8.GetBytes(next.ToString()));
        return next;
    }

    [Fact]
    public async Task The_second_of_two_concurrent_read_modify_writes_fails_with_an_MVCC_conflict()
    {
        var (first, second) = await _runner.SubmitConcurrentlyAsync(_user, Increment, _user, Increment);
        Assert.True(first.Succeeded);
        Assert.Equal(ValidationCode.MvccReadConflict, second.Commit!.Code);
        Assert.Throws<InvalidOperationException>(() => second.Value);
        Assert.Equal("1", Encoding.UTF8.GetString(_runner.World.GetState("counter")));
        Assert.Equal(2, (await _runner.SubmitAsync(_user, Increment)).Value);
    }

    [Fact]
    public async Task A_function_that_throws_commits_nothing_and_an_evaluation_never_commits()
    {
        var failed = await _runner.SubmitAsync<int>(_user, async ctx =>
        {
            await ctx.Stub.PutStateAsync("k", [1]);
            throw new InvalidOperationException("refused");
        });
        Assert.Equal(("refused", null), (failed.Error!.Message, failed.Commit));
        Assert.Equal(5, (await _runner.EvaluateAsync(_user, async ctx => { await ctx.Stub.PutStateAsync("k", [1]); return 5; })).Value);
        Assert.Empty(_runner.World.GetState("k"));
        Assert.Equal(0, _runner.World.Height);
    }
}
