using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime;
using System.Security.Cryptography;
using System.Text.Json;
using CashTransfer.Chaincode;
using CashTransfer.Local;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Ledger.Fabric;
using CashTransfer.Pos.Journal;
using CashTransfer.Pos.Receipts;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Pos.Sync;
using Fabric.Network.Benchmarks;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Protocol.Identity;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;

namespace CashTransfer.Gateway.Benchmarks;

/// <summary>
/// Receipts/s from upload to commit through the gateway service, on the embedded network of three agencies with the
/// CashTransfer chaincode, as a ratio to a reference measured in the same run: the embedded network's plain submits
/// (the same kind of redemptions through Fabric.Client with the gateway's own Fabric identity) at the submitter's
/// concurrency. Then an offline backlog (10,000 receipts from the terminals) and the time until every receipt is decided.
/// Usage: <c>[terminals] [receipts per terminal] [receipts per upload] [concurrency] [backlog] [rounds]</c> (default 20, 100,
/// all of a terminal's receipts in one upload, 64, 10000, 5).
/// </summary>
public static class GatewayBenchmark
{
    private const string Agency = "WFPMSP";
    private const string Chaincode = "cashtransfer";
    private static readonly string ChannelName = NetworkDefinition.Default().Channel;
    private const string Currency = "USD";

    public static async Task<int> Main(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var terminals = Arg(0, 20);
        var perTerminal = Arg(1, 100);
        var perUpload = Arg(2, perTerminal);
        var concurrency = Arg(3, 64);
        var backlog = Arg(4, 10_000);
        var rounds = Math.Max(1, Arg(5, 5));
        var data = Path.Combine(Path.GetTempPath(), $"gateway-bench-{Guid.NewGuid():N}");
        try
        {
            await RunAsync(data, terminals, perTerminal, perUpload, concurrency, backlog, rounds);
            return 0;
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task RunAsync(string data, int terminalCount, int perTerminal, int perUpload, int concurrency, int backlog, int rounds)
    {
        await using var chaincode = await ChaincodeServer.StartAsync(
            new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = $"{Chaincode}_1.0", TlsDisabled = true }, new ContractRouter(CashTransferContracts.All()));
        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = Chaincode, Address = $"127.0.0.1:{chaincode.Port}" });
        await using var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(data, "network"), Definition = definition });
        using var identities = new EmbeddedNetworkIdentities(network);
        var ledger = new FabricLedgerGateway(identities, network.ChannelName, Chaincode);

        var backlogPerTerminal = Math.Max(1, backlog / terminalCount);
        await using var gateway = await GatewayHost.StartAsync(Path.Combine(data, "gateway"), Agency, ledger, new Dictionary<string, string?>
        {
            ["CashTransfer:Submitter:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["CashTransfer:Submitter:BatchSize"] = "2000",
            ["CashTransfer:Intake:MaxBatchReceipts"] = Math.Max(1000, perUpload).ToString(CultureInfo.InvariantCulture),
        });

        Console.WriteLine($"Embedded network: 3 agencies, chaincode {Chaincode} over CCaaS, TLS;");
        Console.WriteLine("gateway service in this process (SQLite outbox)");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; load average {LoadAverage()}");
        Console.WriteLine($"{terminalCount} terminals x {perTerminal} receipts, {perUpload} per upload; submitter concurrency {concurrency};");
        Console.WriteLine($"{rounds} rounds of service then plain submits; then a backlog of {terminalCount} x {backlogPerTerminal};");
        Console.WriteLine("each receipt a distinct beneficiary");

        var keys = Enumerable.Range(1, terminalCount).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToList();
        var terminalIds = Enumerable.Range(1, terminalCount).Select(i => $"T-{i:D3}").ToList();
        // Beneficiaries: warm-up, the timed rounds, the backlog and the profiled run each spend from their own.
        var beneficiaries = Enumerable.Range(0, terminalCount * ((2 * rounds + 2 * WarmUp.MostRounds + 1) * perTerminal + backlogPerTerminal))
            .Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        await SetUpAsync(gateway, identities, terminalIds, keys, beneficiaries);
        var nextBeneficiary = 0;
        List<string> Take(int n) { var taken = beneficiaries.GetRange(nextBeneficiary, n); nextBeneficiary += n; return taken; }

        var journals = new List<OfflineJournal>();
        try
        {
            for (var t = 0; t < terminalCount; t++)
                journals.Add(await OfflineJournal.OpenAsync(Path.Combine(data, $"journal-{terminalIds[t]}.db"), terminalIds[t], new P256Signer(keys[t])));

            // Warm-up of both paths (JIT, connections, first blocks), not measured, until tiered compilation has settled.
            var warmUp = await WarmUp.UntilJitSettlesAsync(
                () => ThroughGatewayAsync(gateway, journals, keys, terminalIds, perTerminal, perUpload, Take, profile: false),
                () => DirectAsync(identities, keys, terminalIds, perTerminal, concurrency, Take));
            foreach (var line in warmUp) Console.WriteLine(line);

            // Alternated rounds: one pair of runs lasts seconds, and two runs minutes apart differ by more than the
            // target's margin, so the summary takes the median round's ratio.
            var total = terminalCount * perTerminal;
            var ratios = new List<double>();
            using var ecdsa = new EcdsaCounts();
            for (var round = 1; round <= rounds; round++)
            {
                var atStart = ecdsa.Now;
                var jitAtStart = JitInfo.GetCompilationTime();
                var allocatedAtStart = GC.GetTotalAllocatedBytes();
                var viaGateway = await ThroughGatewayAsync(gateway, journals, keys, terminalIds, perTerminal, perUpload, Take, profile: false);
                var betweenRuns = ecdsa.Now;
                var jitBetweenRuns = JitInfo.GetCompilationTime();
                var allocatedBetweenRuns = GC.GetTotalAllocatedBytes();
                var direct = await DirectAsync(identities, keys, terminalIds, perTerminal, concurrency, Take);
                var atEnd = ecdsa.Now;
                var allocatedAtEnd = GC.GetTotalAllocatedBytes();
                ratios.Add(direct.TotalSeconds / viaGateway.TotalSeconds);
                // Service: upload -> outbox -> submitter -> commit. Plain: SubmitAndCommit at the same concurrency.
                Console.WriteLine($"  round {round}: service {total / viaGateway.TotalSeconds,6:F1} receipts/s ({viaGateway.TotalSeconds:F1} s), " +
                                  $"plain {total / direct.TotalSeconds,6:F1}/s ({direct.TotalSeconds:F1} s): {ratios[^1],6:P1}");
                Console.WriteLine($"    JIT time per wall time: service {WarmUp.Share(jitBetweenRuns - jitAtStart, viaGateway)}, " +
                                  $"plain {WarmUp.Share(JitInfo.GetCompilationTime() - jitBetweenRuns, direct)}");
                if (round == 1)
                {
                    Console.WriteLine($"    ECDSA per receipt (signed, verified): service {PerReceipt(atStart, betweenRuns, total)}, plain {PerReceipt(betweenRuns, atEnd, total)}");
                    // Bytes allocated (network, chaincode and service alike) do not move with the machine's neighbours.
                    Console.WriteLine($"    allocated per receipt: service {(allocatedBetweenRuns - allocatedAtStart) / 1024.0 / total:F0} KiB, plain {(allocatedAtEnd - allocatedBetweenRuns) / 1024.0 / total:F0} KiB");
                }
            }
            var ratio = ratios.Order().ElementAt(ratios.Count / 2);

            var backlogTotal = terminalCount * backlogPerTerminal;
            var backlogTime = await ThroughGatewayAsync(gateway, journals, keys, terminalIds, backlogPerTerminal, Math.Min(1000, backlogPerTerminal), Take, profile: false);
            Console.WriteLine($"  offline backlog {terminalCount} x {backlogPerTerminal}: decided in {backlogTime.TotalSeconds:F1} s ({backlogTotal / backlogTime.TotalSeconds:F1} receipts/s)");
            // The profile's listeners cost CPU (and JIT their own code): in a timed round they lowered its ratio.
            Console.WriteLine("  profile of one more service run, not in the figures:");
            await ThroughGatewayAsync(gateway, journals, keys, terminalIds, perTerminal, perUpload, Take, profile: true);
            Console.WriteLine($"  service / plain: median of {rounds} rounds at concurrency {concurrency}");
            Console.WriteLine($"  load average {LoadAverage()}");
            Console.WriteLine($"Gateway summary: service/plain {ratio:P1} (>= 90 %), {backlogTotal} backlog {backlogTime.TotalSeconds:F1} s (<= 20 s)");
        }
        finally
        {
            foreach (var journal in journals) await journal.DisposeAsync();
            foreach (var key in keys) key.Dispose();
        }
    }

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    private static string PerReceipt((long Signatures, long Verifications) from, (long Signatures, long Verifications) to, int receipts) =>
        $"{(double)(to.Signatures - from.Signatures) / receipts:F2}, {(double)(to.Verifications - from.Verifications) / receipts:F2}";

    /// <summary>A retailer, the terminals (through the gateway's operator API, so the gateway knows their keys), a programme and one entitlement per beneficiary.</summary>
    private static async Task SetUpAsync(GatewayHost gateway, EmbeddedNetworkIdentities identities, IReadOnlyList<string> terminalIds, IReadOnlyList<ECDsa> keys, IReadOnlyList<string> beneficiaries)
    {
        using var op = gateway.OperatorClient();
        await op.Operator.RegisterRetailerAsync(new RetailerRegistrationDto("R-1", ["food"]));
        for (var t = 0; t < terminalIds.Count; t++)
            await op.Operator.RegisterTerminalAsync(new TerminalRegistrationDto(terminalIds[t], "R-1", keys[t].ExportSubjectPublicKeyInfoPem()));
        var now = DateTimeOffset.UtcNow;
        await op.Operator.CreateProgrammeAsync(new ProgrammeDefinitionDto("P-1", new Money(100L * beneficiaries.Count, Currency), now.AddDays(-1), now.AddDays(30), 1,
            new SpendingRestrictionDto("Cash", null), ["R-1"]));
        // Entitlements straight through Fabric.Client: bulk upload is the gateway's business too, but not what this measures.
        var issuer = identities.For(new LedgerCaller(Agency, "operator")).GetNetwork(ChannelName).GetContract(Chaincode);
        foreach (var chunk in beneficiaries.Chunk(500))
            await issuer.SubmitAndCommitAsync(ChaincodeFunctions.IssueEntitlements, new Fabric.Client.ProposalOptions().AddArguments(
                ChaincodeArguments.Json(new EntitlementBatch("P-1", "c1", chunk.Select(b => new EntitlementGrant(b, 100)).ToList()))));
    }

    /// <summary>
    /// Each terminal records its sales offline (signed, hash-chained, before the clock starts), then all terminals
    /// sync at once through the POS SDK; the clock stops when the gateway has every receipt committed or rejected.
    /// </summary>
    private static async Task<TimeSpan> ThroughGatewayAsync(GatewayHost gateway, IReadOnlyList<OfflineJournal> journals, IReadOnlyList<ECDsa> keys,
        IReadOnlyList<string> terminalIds, int perTerminal, int perUpload, Func<int, List<string>> take, bool profile)
    {
        var (_, before, _) = await gateway.OutboxProgressAsync();
        for (var t = 0; t < journals.Count; t++)
            foreach (var beneficiary in take(perTerminal))
                await journals[t].RecordSaleAsync(beneficiary, new Money(100, Currency), "food");
        var expected = before + journals.Count * perTerminal;

        var clients = journals.Select((j, t) => gateway.Client(RequestSignature.TerminalKeyId(terminalIds[t]), new P256Signer(keys[t]))).ToList();
        try
        {
            using var profiled = profile ? new RunProfile() : null;
            using var decided = new DecidedReceipts(expected - before);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(journals.Select((j, t) => new SyncClient(clients[t], j, new SyncOptions { MaxBatchReceipts = perUpload }).SyncAsync()));
            while (await Task.WhenAny(decided.AllDecided, Task.Delay(TimeSpan.FromSeconds(1))) != decided.AllDecided)
            {
                // A slow check once a second: every receipt arrived, and none was decided without the counter seeing it.
                var (final, total, _) = await gateway.OutboxProgressAsync();
                if (total != expected) throw new InvalidOperationException($"The outbox holds {total} receipts; expected {expected}.");
                if (final == expected && await Task.WhenAny(decided.AllDecided, Task.Delay(TimeSpan.FromSeconds(5))) != decided.AllDecided)
                    throw new InvalidOperationException($"The outbox has every receipt decided, but the gateway counted {decided.Count} of {expected - before}.");
            }
            var elapsed = clock.Elapsed;
            var (decidedInOutbox, inOutbox, rejected) = await gateway.OutboxProgressAsync();
            if (decidedInOutbox != expected || inOutbox != expected)
                throw new InvalidOperationException($"The gateway counted {decided.Count} decided, but the outbox holds {inOutbox} receipts with {decidedInOutbox} decided; expected {expected}.");
            if (profiled is not null)
                foreach (var line in profiled.Report()) Console.WriteLine($"    profile: {line}");
            if (rejected > 0)
                Console.WriteLine($"  note: {rejected} receipts were rejected so far (each a distinct beneficiary with 100 to spend: not expected)");
            return elapsed;
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    /// <summary>
    /// The embedded network's plain submits at the service's concurrency: the same kind of redemptions, signed the same
    /// way, sent straight to the peers with the gateway's Fabric identity by <paramref name="concurrency"/> callers that
    /// each endorse, submit and wait for the commit, then take the next.
    /// </summary>
    private static async Task<TimeSpan> DirectAsync(EmbeddedNetworkIdentities identities, IReadOnlyList<ECDsa> keys, IReadOnlyList<string> terminalIds, int perTerminal, int concurrency, Func<int, List<string>> take)
    {
        var contract = identities.For(new LedgerCaller(Agency, "gateway")).GetNetwork(ChannelName).GetContract(Chaincode);
        var receipts = new System.Collections.Concurrent.ConcurrentQueue<string>(terminalIds.SelectMany((terminalId, t) =>
        {
            var signer = new P256Signer(keys[t]); // not disposed here: it would dispose the terminal's key
            var previous = ReceiptEncoding.GenesisHash;
            return take(perTerminal).Select((beneficiary, i) =>
            {
                var signed = ReceiptEncoding.Sign(new Receipt(IdRules.NewRedemptionId(terminalId), terminalId, i + 1, previous, beneficiary, new Money(100, Currency), "food",
                    DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), signer);
                previous = signed.Hash;
                return ChaincodeArguments.Json(signed);
            }).ToList();
        }));

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (receipts.TryDequeue(out var json))
            {
                var result = await contract.SubmitAndCommitAsync(ChaincodeFunctions.Redeem, new Fabric.Client.ProposalOptions().AddArguments(json));
                var status = JsonDocument.Parse(result).RootElement.GetProperty("status").GetString();
                if (status != "Accepted") throw new InvalidOperationException($"A reference redemption was {status}: {System.Text.Encoding.UTF8.GetString(result)}");
            }
        })));
        return clock.Elapsed;
    }
}
