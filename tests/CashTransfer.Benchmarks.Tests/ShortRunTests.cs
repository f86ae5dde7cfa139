using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CashTransfer.Benchmarks.Tests;

/// <summary>
/// The short versions of `make bench` for the figures of the performance issue: each benchmark runs as its own process
/// with small arguments, to its summary line. They show that the benchmarks still run, still check what they count and
/// still print what the READMEs quote; the figures themselves are `make bench`'s business (no timed assertions here).
/// </summary>
[Collection("benchmarks")] // one at a time: each keeps both cores busy
public class ShortRunTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Network_benchmark_counts_the_signatures_of_each_transaction_and_prints_its_share_of_the_ceiling()
    {
        var text = await RunAsync("Fabric.Network.Benchmarks", "1");
        // Five signatures a transaction (proposal, two endorsements, envelope, commit-status request) and a share of each
        // block's; five verifications, each signature checked once in the one process (SignatureMemo).
        var counted = Match(text, @"per transaction at 50 clients \(counted\): ([\d.]+) signatures, ([\d.]+) verifications");
        Assert.InRange(Number(counted, 1), 5.0, 5.5);
        Assert.InRange(Number(counted, 2), 4.95, 5.05);
        // CPU and bytes allocated per submit, the figures builds are compared by on a machine whose speed moves.
        var perSubmit = Match(text, @"50 concurrent clients: .*\n.*\n +per submit: (\d+) µs of CPU, (\d+) KiB allocated");
        Assert.True(Number(perSubmit, 1) > 0 && Number(perSubmit, 2) > 0, text);
        var summary = Match(text, @"summary: network (\d+) submits/s at 50 clients, ([\d.]+) % of ECDSA ceiling (\d+) tx/s");
        Assert.True(Number(summary, 1) > 0, text);
        Assert.True(Number(summary, 3) > 0, text);
    }

    [Fact]
    public async Task Gateway_benchmark_decides_every_receipt_on_both_paths_and_the_service_checks_one_more_signature_per_receipt()
    {
        // 2 terminals x 10 receipts in uploads of 5, concurrency 4, a backlog of 20, 1 round.
        var text = await RunAsync("CashTransfer.Gateway.Benchmarks", "2", "10", "5", "4", "20", "1");
        Match(text, @"warm-up: \d+ untimed rounds");
        var round = Match(text, @"round 1: service +([\d.]+) receipts/s .*plain +([\d.]+)/s");
        Assert.True(Number(round, 1) > 0 && Number(round, 2) > 0, text);
        // The intake verifies each receipt's terminal signature before storing it, and each upload's signed request.
        var ecdsa = Match(text, @"ECDSA per receipt \(signed, verified\): service ([\d.]+), ([\d.]+), plain ([\d.]+), ([\d.]+)");
        var extra = Number(ecdsa, 2) - Number(ecdsa, 4);
        Assert.InRange(extra, 1.0, 1.0 + 1.0 / 5 + 0.05);
        var allocated = Match(text, @"allocated per receipt: service (\d+) KiB, plain (\d+) KiB");
        Assert.True(Number(allocated, 1) > 0 && Number(allocated, 2) > 0, text);
        Match(text, @"Gateway summary: service/plain [\d.]+ % \(>= 90 %\), 20 backlog [\d.]+ s");
    }

    [Fact]
    public async Task Issuance_benchmark_issues_every_row_and_prints_the_service_peak_memory()
    {
        // 1,000 rows in chunks of 100 (the benchmark fails unless the job completes with every row issued).
        var text = await RunAsync("CashTransfer.Issuance.Benchmarks", "1000", "100");
        var summary = Match(text, @"summary: upload (\d+) rows/s = ([\d.]+) x plain writes \((\d+)/s\), service peak (\d+) MiB");
        Assert.True(Number(summary, 1) > 0 && Number(summary, 3) > 0 && Number(summary, 4) > 0, text);
    }

    private async Task<string> RunAsync(string name, params string[] arguments)
    {
        var text = await BenchmarkProcess.RunAsync(name, Timeout, arguments);
        output.WriteLine(text);
        return text;
    }

    private static Match Match(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"No line matching {pattern} in:\n{text}");
        return match;
    }

    private static double Number(Match match, int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
}
