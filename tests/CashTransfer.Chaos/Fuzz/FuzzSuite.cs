using System.Diagnostics;
using CashTransfer.Chaos.Chaos;
using CashTransfer.Chaos.Processes;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using CashTransfer.Pos.Journal;
using Spectre.Console;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// The fuzzing run: the stack as separate processes, seeded like the fault suite; then mutated protobuf messages at a
/// peer's Gateway and Deliver services and at the chaincode server, then mutated REST requests at the service. A
/// watchdog records any part that exits by itself (a crash) and starts it again; a sampler records memory; error log
/// entries are counted per part and phase.
/// </summary>
public sealed class FuzzSuite(FuzzOptions options, string dataDirectory, IAnsiConsole console)
{
    public async Task<FuzzReport> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        console.MarkupLine($"seed {options.Seed}: the same inputs again with `make fuzz FUZZ_ARGS='--seed {options.Seed} ...'`");
        using var stack = new ProcessStack(dataDirectory);
        await stack.StartLedgerAsync(ct);
        var agency = ChaosAgency.Create(dataDirectory, ChaosOptions.Short with { Terminals = 2 });
        await stack.StartServiceAsync(agency, ct);
        agency = await new DemoSeeder(dataDirectory, stack.GatewayUrl).EnsureSeededAsync(agency, step => console.MarkupLine($"seeding: {Markup.Escape(step)}"), ct);

        var spec = agency.Terminals[0];
        using var terminalSigner = DemoAgency.Signer(dataDirectory, spec.KeyFile);
        await using var journal = await OfflineJournal.OpenAsync(DemoAgency.Resolve(dataDirectory, spec.JournalFile), spec.TerminalId, terminalSigner);
        var beneficiaries = DemoSeeder.BeneficiaryHashes(agency);
        var receipts = new List<SignedReceipt>();
        for (var i = 0; i < 30; i++) receipts.Add(await journal.RecordSaleAsync(beneficiaries[i % beneficiaries.Count], new Money(100 + i, agency.Currency), "food", ct: ct));
        var wfp = agency.Operator(agency.GatewayAgencyMsp);
        using var operatorSigner = DemoAgency.Signer(dataDirectory, wfp.KeyFile);
        using var auditorSigner = DemoAgency.Signer(dataDirectory, agency.Auditor.KeyFile);
        var context = new RestFuzzContext(spec.TerminalId, terminalSigner, wfp.KeyId, operatorSigner, agency.Auditor.KeyId, auditorSigner, agency.RetailerId,
            agency.Programmes[0].ProgrammeId, beneficiaries, receipts);

        var vectors = Path.GetFullPath(Path.Combine(BuildOutputs.Locate().RepositoryRoot, "..", "shared", "vectors"));
        var seeds = await GrpcSeeds.CreateAsync(vectors, stack.SettingsFile(agency.GatewayAgencyMsp, "operator"), stack.SettingsFile(agency.GatewayAgencyMsp, "gateway"),
            stack.Definition.Channel, ProcessStack.ChaincodeName, spec.TerminalId, ct);
        console.MarkupLine($"seeds: {string.Join(", ", seeds.ByMethod.Select(s => $"{s.Key} {s.Value.Count}"))}, chaincode conversations {seeds.ChaincodeConversations.Count} (vectors: {Markup.Escape(vectors)})");

        var crashes = new List<string>();
        var phases = new List<FuzzPhase>();
        await using (var sampler = new MemorySampler(stack))
        {
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watchdog = Task.Run(() => WatchAsync(stack, crashes, watching.Token), ct);

            if (options.GrpcMessages > 0)
            {
                var grpc = new FuzzTally();
                var before = Errors(stack);
                var phaseClock = Stopwatch.StartNew();
                using (var fuzzer = new GrpcFuzzer(new Uri($"https://127.0.0.1:{stack.PeerPorts[0]}"), new Uri($"http://127.0.0.1:{stack.ChaincodePort}"), seeds, grpc, options.Seed))
                using (Progress(grpc, options.GrpcMessages, "protobuf messages", ct))
                    await fuzzer.RunAsync(options.GrpcMessages, options.Concurrency, options.TimeBudget * (options.RestRequests > 0 ? 0.75 : 1.0), ct);
                phases.Add(new FuzzPhase("protobuf at the peer and the chaincode server", options.GrpcMessages, grpc, Delta(before, Errors(stack)), phaseClock.Elapsed));
            }
            if (options.RestRequests > 0)
            {
                var rest = new FuzzTally();
                var before = Errors(stack);
                var phaseClock = Stopwatch.StartNew();
                using (var fuzzer = new RestFuzzer(stack.GatewayUrl, context, rest, options.Seed))
                using (Progress(rest, options.RestRequests, "REST requests", ct))
                using (var budget = Budget(options.GrpcMessages > 0 ? 0.25 : 1.0, ct))
                    await fuzzer.RunAsync(options.RestRequests, options.Concurrency, budget.Token);
                phases.Add(new FuzzPhase("REST at the service", options.RestRequests, rest, Delta(before, Errors(stack)), phaseClock.Elapsed));
            }

            await watching.CancelAsync();
            await watchdog;
            return new FuzzReport(options, phases, sampler.Samples, crashes, stack.ErrorSamples(), clock.Elapsed);
        }
    }

    /// <summary>Cancelled at the phase's share of the time budget (never, without one).</summary>
    private CancellationTokenSource Budget(double share, CancellationToken ct)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.TimeBudget is { } total) budget.CancelAfter(total * share);
        return budget;
    }

    private static Dictionary<StackPart, int> Errors(ProcessStack stack) => Enum.GetValues<StackPart>().ToDictionary(p => p, stack.ErrorEntries);

    private static Dictionary<StackPart, int> Delta(Dictionary<StackPart, int> before, Dictionary<StackPart, int> after) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));

    /// <summary>A part that exited by itself crashed: recorded, then started again so that the run goes on.</summary>
    private static async Task WatchAsync(ProcessStack stack, List<string> crashes, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var part in Enum.GetValues<StackPart>())
                if (stack.Process(part) is { HasExited: true } dead)
                {
                    lock (crashes) crashes.Add($"{dead.Name} (pid {dead.Pid}) exited by itself with code {dead.ExitCode}");
                    stack.Kill(part);
                    try { await stack.StartAsync(part, ct); }
                    catch (OperationCanceledException) { return; }
                }
            try { await Task.Delay(500, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>A line every 10 seconds with the count so far, so that a long run shows it is alive.</summary>
    private IDisposable Progress(FuzzTally tally, long total, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        return new Timer(_ => console.MarkupLine($"  {tally.Sent:N0} / {total:N0} {what} ({tally.Sent / Math.Max(1, clock.Elapsed.TotalSeconds):F0}/s)"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }
}
