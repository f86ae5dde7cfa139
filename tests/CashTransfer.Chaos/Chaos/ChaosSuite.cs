using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CashTransfer.Chaos.Processes;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Pos.Journal;
using Spectre.Console;

namespace CashTransfer.Chaos.Chaos;

/// <summary>
/// The fault suite: terminals sync an offline backlog through the POS SDK while each round SIGKILLs, in turn, the
/// service, the network, the chaincode server, and all of them together, and restarts them on the same data. In the
/// middle one terminal's key is rotated and another is suspended (routinely: it is reactivated two rounds later).
/// Then the backlog must drain, every acknowledged receipt must be decided, the ledger's invariants must hold and
/// every journal must match the ledger. Every wait is bounded; what does not finish in time is reported.
/// </summary>
public sealed class ChaosSuite(ChaosOptions options, string dataDirectory, IAnsiConsole console)
{
    private const string RotatedRole = "key rotated";
    private const string SuspendedRole = "suspended";
    private static readonly Fault[] FaultOrder = [Fault.Service, Fault.Network, Fault.Chaincode, Fault.All];
    private readonly List<string> _findings = [];
    private readonly List<string> _crashes = [];

    public async Task<ChaosReport> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var stack = new ProcessStack(dataDirectory);
        await stack.StartLedgerAsync(ct);
        var agency = ChaosAgency.Create(dataDirectory, options);
        await stack.StartServiceAsync(agency, ct);
        console.MarkupLine($"stack up: chaincode :{stack.ChaincodePort}, peers :{string.Join(", :", stack.PeerPorts)}, service {stack.GatewayUrl} (logs in {Markup.Escape(stack.LogDirectory)})");
        agency = await new DemoSeeder(dataDirectory, stack.GatewayUrl).EnsureSeededAsync(agency, step => console.MarkupLine($"seeding: {Markup.Escape(step)}"), ct);

        var terminals = new List<ChaosTerminal>();
        try
        {
            foreach (var spec in agency.Terminals) terminals.Add(await ChaosTerminal.OpenAsync(dataDirectory, stack.GatewayUrl, options, spec));
            var beneficiaries = DemoSeeder.BeneficiaryHashes(agency);
            await Task.WhenAll(terminals.Select((t, i) => Task.Run(() => t.RecordBacklogAsync(options.ReceiptsPerTerminal,
                beneficiaries.Skip(i * options.BeneficiariesPerTerminal).Take(options.BeneficiariesPerTerminal).ToList(), agency.Currency, ct), ct)));
            console.MarkupLine($"backlog recorded: {terminals.Count} terminals x {options.ReceiptsPerTerminal} receipts");

            using var syncing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var syncs = terminals.Select(t => Task.Run(() => t.SyncAsync(syncing.Token), ct)).ToList();
            var roles = new Dictionary<string, string>();
            var rounds = await RunRoundsAsync(stack, agency, terminals, roles, ct);

            // Everything is up again: the backlog must drain and every acknowledged receipt must be decided, within bounds.
            var drained = Task.WhenAll(syncs);
            if (await Task.WhenAny(drained, Task.Delay(options.SyncWait, ct)) != drained)
                _findings.Add($"the backlog did not drain within {options.SyncWait.TotalSeconds:F0} s after the last round");
            await syncing.CancelAsync();
            await drained;
            await WaitDecidedAsync(terminals, ct);
            await CheckCrashesAsync(stack, ct);

            var (invariants, redemptions) = await CheckLedgerAsync(stack, agency, terminals, ct);
            var journals = new Dictionary<string, (string, IReadOnlyList<JournalOutcome>)>();
            foreach (var t in terminals) journals[t.TerminalId] = (roles.GetValueOrDefault(t.TerminalId, ""), await t.Journal.OutcomesAsync(ct));
            foreach (var t in terminals)
                foreach (var (refusal, count) in t.Refusals)
                    _findings.Add($"{t.TerminalId} ({roles.GetValueOrDefault(t.TerminalId, "routine")}): sync refused {count} x {refusal}{Explain(refusal)}");
            var errors = Enum.GetValues<StackPart>().ToDictionary(p => p.ToString().ToLowerInvariant(), stack.ErrorEntries);
            return new ChaosReport(options, rounds, JournalComparison.Compare(journals, redemptions), invariants, _findings, _crashes, errors, clock.Elapsed);
        }
        finally
        {
            foreach (var t in terminals) await t.DisposeAsync();
        }
    }

    private async Task<List<RoundRecord>> RunRoundsAsync(ProcessStack stack, DemoAgency agency, IReadOnlyList<ChaosTerminal> terminals, Dictionary<string, string> roles, CancellationToken ct)
    {
        var records = new List<RoundRecord>();
        var middle = Math.Max(1, options.Rounds / 2);
        var reactivateAfter = Math.Min(options.Rounds, middle + 2);
        ChaosTerminal? suspended = null;
        for (var round = 1; round <= options.Rounds; round++)
        {
            await Task.Delay(options.RoundInterval, ct);
            await CheckCrashesAsync(stack, ct);
            var before = await AcknowledgedAsync(terminals, ct);
            var fault = FaultOrder[(round - 1) % FaultOrder.Length];
            var parts = fault == Fault.All ? [StackPart.Service, StackPart.Network, StackPart.Chaincode] : new[] { Enum.Parse<StackPart>(fault.ToString()) };
            var killed = string.Join(", ", parts.Select(p => $"{p.ToString().ToLowerInvariant()} ({stack.Process(p)?.Pid})"));
            foreach (var part in parts) stack.Kill(part);
            var restart = Stopwatch.StartNew();
            await Task.Delay(300, ct);
            foreach (var part in new[] { StackPart.Chaincode, StackPart.Network, StackPart.Service }.Where(parts.Contains)) await stack.StartAsync(part, ct);
            var restartSeconds = restart.Elapsed.TotalSeconds;
            var events = new List<string>();
            if (options.KeyChanges && round == middle && terminals.Count >= 2)
            {
                events.Add(await RotateKeyAsync(stack, agency, terminals[0], ct));
                roles[terminals[0].TerminalId] = RotatedRole;
                suspended = terminals[1];
                events.Add(await SuspendAsync(stack, agency, suspended, ct));
                roles[suspended.TerminalId] = SuspendedRole;
            }
            if (suspended is not null && round == reactivateAfter)
            {
                events.Add(await OperatorAsync(stack, agency, $"api/operator/terminals/{suspended.TerminalId}/reactivate", new { }, "reactivated", suspended.TerminalId, ct));
                suspended = null;
            }
            records.Add(new RoundRecord(round, fault.ToString().ToLowerInvariant(), killed, restartSeconds, before, await AcknowledgedAsync(terminals, ct), string.Join("; ", events)));
            console.MarkupLine($"round {round}/{options.Rounds}: killed {Markup.Escape(killed)}, back in {restartSeconds:F1} s; acknowledged {records[^1].AcknowledgedAfter} {Markup.Escape(string.Join("; ", events))}");
        }
        if (suspended is not null)
            await OperatorAsync(stack, agency, $"api/operator/terminals/{suspended.TerminalId}/reactivate", new { }, "reactivated", suspended.TerminalId, ct);
        return records;
    }

    /// <summary>A routine key rotation: the operator registers a new key; the terminal signs its requests with it from then on (its backlog stays signed with the old one).</summary>
    private async Task<string> RotateKeyAsync(ProcessStack stack, DemoAgency agency, ChaosTerminal terminal, CancellationToken ct)
    {
        var keyFile = ChaosAgency.NewKey(dataDirectory, $"terminal-{terminal.TerminalId}-rotated");
        var result = await OperatorAsync(stack, agency, $"api/operator/terminals/{terminal.TerminalId}/key",
            new { publicKeyPem = DemoAgency.PublicKeyPem(dataDirectory, keyFile) }, "key rotated", terminal.TerminalId, ct);
        terminal.UseRequestKey(keyFile);
        return result;
    }

    private async Task<string> SuspendAsync(ProcessStack stack, DemoAgency agency, ChaosTerminal terminal, CancellationToken ct)
    {
        var acknowledged = (await terminal.Journal.OutcomesAsync(ct)).Count(o => o.Acknowledged);
        var result = await OperatorAsync(stack, agency, $"api/operator/terminals/{terminal.TerminalId}/suspend", new { }, "suspended", terminal.TerminalId, ct);
        return $"{result} with {acknowledged} receipts acknowledged";
    }

    /// <summary>An operator command through the service, retried (bounded) while the service or the ledger is still coming back.</summary>
    private async Task<string> OperatorAsync(ProcessStack stack, DemoAgency agency, string path, object body, string what, string terminalId, CancellationToken ct)
    {
        using var wfp = DemoClients.Connect(stack.GatewayUrl, dataDirectory, agency.Operator(agency.GatewayAgencyMsp));
        var key = $"chaos/{path}/{Guid.NewGuid():N}";
        var last = "";
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            try
            {
                using var response = await wfp.SendRawAsync(HttpMethod.Post, path, () => JsonContent.Create(body), key, ct);
                return $"{terminalId} {what}";
            }
            catch (ServiceProblemException e)
            {
                last = $"{(int)e.Status} {e.Detail}";
                if ((int)e.Status < 500 && e.Status != HttpStatusCode.Conflict) break;
            }
            catch (CashTransferApiException e) { last = e.Message; }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        _findings.Add($"{terminalId} could not be {what}: {last}");
        return $"{terminalId} NOT {what}";
    }

    private async Task WaitDecidedAsync(IReadOnlyList<ChaosTerminal> terminals, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + options.DecideWait;
        while (true)
        {
            var open = 0;
            foreach (var t in terminals)
            {
                await t.FetchOutcomesAsync(ct);
                open += (await t.Journal.OutcomesAsync(ct)).Count(o => o.Acknowledged && o.Status is not ("committed" or "rejected"));
            }
            if (open == 0) return;
            if (DateTimeOffset.UtcNow > deadline)
            {
                _findings.Add($"{open} acknowledged receipts were still undecided {options.DecideWait.TotalSeconds:F0} s after the backlog drained");
                return;
            }
            await Task.Delay(1000, ct);
        }
    }

    /// <summary>The ledger's invariants (the demo's checker) over the run's journals and the chaincode's records, read through the auditor API.</summary>
    private async Task<(IReadOnlyList<InvariantResult>, IReadOnlyList<LedgerRedemption>)> CheckLedgerAsync(ProcessStack stack, DemoAgency agency, IReadOnlyList<ChaosTerminal> terminals,
        CancellationToken ct)
    {
        using var auditor = DemoClients.Connect(stack.GatewayUrl, dataDirectory, agency.Auditor);
        var apis = terminals.Select(t => t.Api()).ToList();
        try
        {
            var journals = terminals.Select((t, i) => (t.Journal, apis[i])).ToList();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in terminals) ids.UnionWith((await t.Journal.OutcomesAsync(ct)).Where(o => o.Acknowledged).Select(o => o.RedemptionId));
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                // The read models follow the ledger through chaincode events: give the projection a moment before judging them.
                var snapshot = await new SnapshotCollector(auditor, agency).CollectAsync(journals, ids, ct);
                var invariants = InvariantChecker.Check(snapshot);
                if (invariants.All(i => i.Passed) || DateTimeOffset.UtcNow > deadline) return (invariants, snapshot.Redemptions);
                await Task.Delay(1000, ct);
            }
        }
        finally
        {
            foreach (var api in apis) api.Dispose();
        }
    }

    private static async Task<int> AcknowledgedAsync(IReadOnlyList<ChaosTerminal> terminals, CancellationToken ct)
    {
        var total = 0;
        foreach (var t in terminals) total += (await t.Journal.OutcomesAsync(ct)).Count(o => o.Acknowledged);
        return total;
    }

    /// <summary>A part that exited without being killed crashed: recorded, and started again so that the run goes on.</summary>
    private async Task CheckCrashesAsync(ProcessStack stack, CancellationToken ct)
    {
        foreach (var crash in stack.Crashed()) _crashes.Add(crash);
        foreach (var part in Enum.GetValues<StackPart>().Where(p => stack.Process(p)?.HasExited == true))
        {
            stack.Kill(part);
            await stack.StartAsync(part, ct);
        }
    }

    private static string Explain(string refusal) => refusal switch
    {
        _ when refusal.Contains("idempotency-in-progress", StringComparison.Ordinal) =>
            " (expected after a service kill: the killed request's claim on its Idempotency-Key holds until its lease expires; the terminal retries)",
        _ when refusal.StartsWith("401", StringComparison.Ordinal) || refusal.StartsWith("403", StringComparison.Ordinal) =>
            " (expected while suspended or until the rotated key is in force)",
        _ => "",
    };
}
