using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using CashTransfer.Audit.Ledger;
using CashTransfer.Audit.Ledger.State;
using Fabric.Client;
using Fabric.Client.Configuration;
using Spectre.Console;

namespace CashTransfer.Cli.Audit;

/// <summary>
/// <c>cashtransfer verify-ledger</c>: verifies one peer's copy of the channel from its blocks (hash chain, data hashes,
/// orderer, creator and endorser signatures against the channel's policies, validation flags, the state rebuilt from
/// valid writes against the contract's queries) and compares it block by block with other peers. A peer is a
/// Fabric.Client settings file (.yaml/.json) or, on the embedded network of <c>--data</c>, an agency's MSP id or name
/// (connected as that agency's Auditor). Exit 0: the ledger verifies; 1: findings; 2: it could not run.
/// </summary>
public static class VerifyLedgerCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory of the local stack (for agency names).", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var peer = new Option<string?>("--peer") { Description = "Peer to verify: a Fabric.Client settings file, or an agency of the embedded network by MSP id or name, e.g. WFPMSP or WFP (default: its first agency)." };
        var compare = new Option<string[]>("--compare") { Description = "Other peers to compare block by block (settings files or agencies).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var channel = new Option<string?>("--channel") { Description = "Channel (default: the settings file's, or the embedded network's)." };
        var chaincode = new Option<string>("--chaincode") { Description = "Chaincode whose state is compared with its queries.", DefaultValueFactory = _ => "cashtransfer" };
        var noState = new Option<bool>("--no-state") { Description = "Skip comparing the rebuilt state with the chaincode's queries (which need an auditor identity)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the result as JSON to this file." };
        var command = new Command("verify-ledger", "Verify the ledger from its blocks, independently of the peer that serves them, and compare peers.\n\n" +
            "Example:\n  cashtransfer verify-ledger --data .data --peer WFPMSP --compare UNHCRMSP --out verify.json")
            { data, peer, compare, channel, chaincode, noState, output };
        command.SetAction((parse, cancellationToken) => RunAsync(new Request(parse.GetValue(data)!.FullName, parse.GetValue(peer), parse.GetValue(compare) ?? [],
            parse.GetValue(channel), parse.GetValue(chaincode)!, !parse.GetValue(noState), parse.GetValue(output)?.FullName), AnsiConsole.Console, cancellationToken));
        return command;
    }

    public sealed record Request(string DataDirectory, string? Peer, IReadOnlyList<string> Compare, string? Channel, string Chaincode, bool CompareState, string? OutputFile);

    /// <summary>Runs the verification and returns the exit code.</summary>
    public static async Task<int> RunAsync(Request request, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var connections = new List<(string Name, GatewayConnection Connection, string Channel)>();
        try
        {
            foreach (var target in new[] { request.Peer }.Concat(request.Compare))
            {
                var (name, settings) = PeerSettings.Resolve(target, request.DataDirectory);
                var channelName = request.Channel ?? settings.Channel ?? throw new InvalidDataException($"No channel for {name}: give --channel.");
                connections.Add((name, GatewayConnection.Open(settings), channelName));
            }
            var (peerName, main, mainChannel) = connections[0];
            var network = main.Gateway.GetNetwork(mainChannel);
            IWorldStateQuery? stateQuery = request.CompareState ? new CashTransferHistoryQuery(network.GetContract(request.Chaincode)) : null;
            LedgerVerification result = null!;
            await console.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var blocks = progress.AddTask($"Verifying {Markup.Escape(peerName)}", maxValue: 1);
                var reportProgress = new Progress<(ulong Verified, ulong Height)>(p => { blocks.MaxValue = Math.Max(1, p.Height); blocks.Value = p.Verified; });
                // One query per record: on a real network the comparison can take longer than reading the blocks.
                var state = stateQuery is null ? null : progress.AddTask("Comparing the state with the contract", autoStart: false, maxValue: 1);
                var reportState = new Progress<(int Checked, int Keys)>(p =>
                {
                    if (state is null) return;
                    if (!state.IsStarted) state.StartTask();
                    state.MaxValue = Math.Max(1, p.Keys);
                    state.Value = p.Checked;
                });
                result = await LedgerVerifier.VerifyAsync(network, new LedgerVerifierOptions
                {
                    PeerName = peerName, StateQuery = stateQuery, Progress = reportProgress, StateProgress = reportState,
                }, cancellationToken);
                blocks.Value = blocks.MaxValue;
                if (state is not null) state.Value = state.MaxValue;
                var comparisons = new List<PeerComparison>();
                var findings = result.Findings.ToList();
                foreach (var (otherName, other, otherChannel) in connections.Skip(1))
                {
                    var compared = progress.AddTask($"Comparing with {Markup.Escape(otherName)}", maxValue: 1);
                    var (comparison, finding) = await LedgerVerifier.CompareAsync(network, peerName, other.Gateway.GetNetwork(otherChannel), otherName, cancellationToken);
                    comparisons.Add(comparison);
                    if (finding is not null) findings.Add(finding);
                    compared.Value = 1;
                }
                result = result with { Comparisons = comparisons, Findings = findings };
            });
            Report(result, console);
            if (request.OutputFile is { } file) await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, Json), cancellationToken);
            return result.Verified ? 0 : 1;
        }
        // Whatever stops the run (bad settings, an unreachable or refusing peer, a broken stream) is "could not run", not a finding.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            console.MarkupLine($"[red]Could not verify the ledger:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        finally
        {
            foreach (var (_, connection, _) in connections) connection.Dispose();
        }
    }

    // Counts in a table; hashes, peers and findings as lines below it, so that nothing wraps inside a cell at 80 columns.
    private static void Report(LedgerVerification result, IAnsiConsole console)
    {
        var summary = new Table().Title($"Ledger of channel {Markup.Escape(result.Channel)} as {Markup.Escape(result.Peer)} holds it").AddColumns("check", "figure");
        summary.AddRow("height (blocks)", result.Height.ToString());
        summary.AddRow("blocks verified", result.BlocksVerified.ToString());
        summary.AddRow("transactions verified (valid)", $"{result.TransactionsVerified} ({result.ValidTransactions})");
        summary.AddRow("state keys compared with queries", result.StateKeysCompared.ToString());
        summary.AddRow("state keys no query reaches (indexes)", result.StateKeysNotQueryable.ToString());
        summary.AddRow("state keys rewritten above the height", result.StateKeysRewrittenAboveHeight.ToString());
        summary.AddRow("findings", result.Findings.Count == 0 ? "[green]none[/]" : $"[red]{result.Findings.Count}[/]");
        console.Write(summary);
        console.MarkupLine("Newest block hash:");
        console.MarkupLine($"  {result.LastBlockHash}");
        foreach (var c in result.Comparisons)
            console.MarkupLine($"Compared with {Markup.Escape(c.OtherPeer)}: " + (c.FirstDifferingBlock is { } b
                ? $"[red]differs from block {b}[/]"
                : $"same {c.BlocksCompared} blocks (heights {c.Height} / {c.OtherHeight})"));
        foreach (var f in result.Findings.Take(50))
        {
            console.MarkupLine($"[red]{f.Kind}[/] at block {f.BlockNumber}" + (f.TransactionId is { } tx ? $", transaction {Markup.Escape(tx)}" : "")
                + (f.Detail.Length > 0 ? $" ({Markup.Escape(f.Detail)})" : ""));
            console.MarkupLine($"  expected: {Markup.Escape(f.Expected)}");
            console.MarkupLine($"  found:    {Markup.Escape(f.Found)}");
        }
        if (result.Findings.Count > 50) console.MarkupLine($"[grey]{result.Findings.Count - 50} more findings in the JSON result (--out).[/]");
        console.MarkupLine(result.Verified ? "[green]The ledger verifies.[/]" : "[red]The ledger does NOT verify (see the findings).[/]");
    }

    /// <summary>Turns a --peer/--compare value into gateway settings: a settings file, or an agency of the embedded network.</summary>
    private static class PeerSettings
    {
        public static (string Name, GatewaySettings Settings) Resolve(string? target, string dataDirectory)
        {
            if (target is not null && File.Exists(target)) return (target, GatewaySettings.Load(target));
            var connectionFile = Path.Combine(dataDirectory, "network", "connection.json");
            if (!File.Exists(connectionFile))
                throw new InvalidDataException(target is null
                    ? $"No --peer given and no embedded network in {dataDirectory} ({connectionFile} is missing; start it with `cashtransfer up`)."
                    : $"'{target}' is neither a settings file nor an agency of an embedded network ({connectionFile} is missing).");
            using var document = JsonDocument.Parse(File.ReadAllText(connectionFile));
            var root = document.RootElement;
            var peers = root.GetProperty("peers").EnumerateArray().ToList();
            var peer = target is null ? peers.FirstOrDefault()
                : peers.FirstOrDefault(p => p.GetProperty("mspId").GetString() is { } msp
                                            && (string.Equals(msp, target, StringComparison.OrdinalIgnoreCase) || string.Equals(msp, target + "MSP", StringComparison.OrdinalIgnoreCase)
                                                || string.Equals(p.GetProperty("name").GetString(), target, StringComparison.OrdinalIgnoreCase)));
            if (peer.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"The embedded network in {dataDirectory} has no agency '{target}' (it has {string.Join(", ", peers.Select(p => p.GetProperty("mspId").GetString()))}).");
            // The agency's Auditor sits next to User1 (the client the connection file names): auditors may read history.
            var user1Msp = peer.GetProperty("clientMspDirectory").GetString()!;
            var user1Folder = Path.GetDirectoryName(user1Msp)!;
            var auditorMsp = Path.Combine(Path.GetDirectoryName(user1Folder)!, "Auditor" + Path.GetFileName(user1Folder)[Path.GetFileName(user1Folder).IndexOf('@')..], "msp");
            var tls = root.GetProperty("tls").GetBoolean();
            var settings = new GatewaySettings
            {
                PeerEndpoint = $"{(tls ? "https" : "http")}://{peer.GetProperty("address").GetString()}",
                TlsCaCertPath = tls ? peer.GetProperty("tlsRootCertFile").GetString() : null,
                ServerNameOverride = peer.GetProperty("serverNameOverride").GetString(),
                MspId = peer.GetProperty("mspId").GetString()!,
                MspPath = Directory.Exists(auditorMsp) ? auditorMsp : user1Msp,
                Channel = root.GetProperty("channel").GetString(),
            };
            return ($"{settings.MspId} ({peer.GetProperty("address").GetString()})", settings);
        }
    }
}
