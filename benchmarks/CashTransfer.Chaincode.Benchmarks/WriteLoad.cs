using System.Diagnostics;
using Fabric.Client;
using Protos;
using Contract = Fabric.Client.Contract;

namespace CashTransfer.Chaincode.Benchmarks;

/// <summary>The reference: plain single-key writes (function key value) by as many concurrent clients, through the same network.</summary>
public static class WriteLoad
{
    public static async Task<double> RunAsync(Contract contract, string function, int clients, TimeSpan duration)
    {
        long done = 0;
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var submitted = await contract.SubmitAsync(function, new ProposalOptions().AddArguments($"bench-{run}-{c}-{i}", "v"));
                var status = await submitted.GetStatusAsync();
                if (status.Code != TxValidationCode.Valid) throw new InvalidOperationException($"write {submitted.TransactionId} ended {status.Code}");
                Interlocked.Increment(ref done);
            }
        })));
        return done / clock.Elapsed.TotalSeconds;
    }
}
