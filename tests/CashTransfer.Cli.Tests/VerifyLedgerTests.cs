using System.Text.Json;
using CashTransfer.Audit.Ledger;
using CashTransfer.Audit.Ledger.State;
using CashTransfer.Cli.Audit;
using CashTransfer.Cli.Local;
using Spectre.Console;

namespace CashTransfer.Cli.Tests;

/// <summary>
/// Ledger verification live on the embedded network after a demo run (programmes, entitlements with key-level
/// policies, redemptions, a rejected overspend): the library through a peer's Deliver and qscc, two agencies' peers
/// compared, and <c>cashtransfer verify-ledger</c> with its exit codes and JSON result.
/// </summary>
public sealed class VerifyLedgerTests(VerifyLedgerTests.DemoLedger ledger) : IClassFixture<VerifyLedgerTests.DemoLedger>
{
    [Fact]
    public async Task The_embedded_networks_ledger_verifies_clean_through_a_peers_Deliver_service()
    {
        var network = ledger.Network("WFPMSP");

        var stateProgress = new LastReport();

        var result = await LedgerVerifier.VerifyAsync(network, new LedgerVerifierOptions
        {
            StateQuery = new CashTransferHistoryQuery(network.GetContract(LocalStack.ChaincodeName)), StateProgress = stateProgress,
        }, CancellationToken.None);

        Assert.Empty(result.Findings);
        var keys = result.StateKeysCompared + result.StateKeysNotQueryable;
        Assert.Equal((keys, keys), stateProgress.Last);
        Assert.Equal(ledger.Stack.Network.Ledger.Height, result.Height);
        Assert.Equal(result.Height, result.BlocksVerified);
        Assert.True(result.ValidTransactions > 10, $"only {result.ValidTransactions} valid transactions");
        Assert.True(result.StateKeysCompared > 20, $"only {result.StateKeysCompared} keys compared");
        Assert.True(result.StateKeysNotQueryable > 0, "the index keys are counted as not reachable by a query");
        Assert.Equal(result.TransactionsVerified - 1, result.ValidTransactions);   // the registration that lost the race
    }

    [Fact]
    public async Task A_ledger_written_while_it_is_verified_still_verifies_as_of_its_height()
    {
        // The operator suspends a retailer after the verifier has read the height and every block below it, before
        // the first state query: the contract's newest version is then one the blocks verified do not hold.
        var network = ledger.Network("WFPMSP");
        var operatorContract = ledger.Stack.ContractAs("WFPMSP", "Operator");
        var registration = JsonSerializer.Serialize(new CashTransfer.Chaincode.Domain.RetailerRegistration("busy-shop", ["food"]), Fabric.Shim.Contracts.ContractJson.Options);
        await operatorContract.SubmitTransactionAsync("Retail:RegisterRetailer", registration);
        var query = new WrittenBeforeFirstAnswer(new CashTransferHistoryQuery(network.GetContract(LocalStack.ChaincodeName)),
            () => operatorContract.SubmitTransactionAsync("Retail:SuspendRetailer", "busy-shop"));

        var result = await LedgerVerifier.VerifyAsync(network, new LedgerVerifierOptions { StateQuery = query }, CancellationToken.None);

        Assert.True(query.Written);
        Assert.Empty(result.Findings);
        Assert.Equal(1, result.StateKeysRewrittenAboveHeight);
        Assert.True(ledger.Stack.Network.Ledger.Height > result.Height, "the suspension committed above the verified height");
    }

    private sealed class LastReport : IProgress<(int Checked, int Keys)>
    {
        public (int, int)? Last { get; private set; }
        public void Report((int Checked, int Keys) value) => Last = value;
    }

    /// <summary>A state query that lets another client commit a transaction before it answers for the first time.</summary>
    private sealed class WrittenBeforeFirstAnswer(IWorldStateQuery inner, Func<Task> write) : IWorldStateQuery
    {
        public bool Written { get; private set; }
        public string Namespace => inner.Namespace;
        public bool Reaches(string key) => inner.Reaches(key);

        public async IAsyncEnumerable<KeyVersion> VersionsAsync(string key, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (!Written)
            {
                await write();
                Written = true;
            }
            await foreach (var version in inner.VersionsAsync(key, cancellationToken)) yield return version;
        }
    }

    [Fact]
    public void A_transaction_that_lost_its_read_but_is_flagged_valid_is_reported()
    {
        var store = ledger.Stack.Network.Ledger;
        var lost = store.FindTransaction(ledger.LostTransactionId)!.Value;
        var verifier = new BlockVerifier();
        var findings = new List<LedgerFinding>();
        for (ulong n = 0; n < store.Height; n++)
        {
            var block = store.GetBlock(n);
            if (n == lost.BlockNumber)
            {
                var flags = block.Metadata.Metadata[(int)Common.BlockMetadataIndex.TransactionsFilter].ToByteArray();
                flags[lost.Index] = (byte)Protos.TxValidationCode.Valid;
                block.Metadata.Metadata[(int)Common.BlockMetadataIndex.TransactionsFilter] = Google.Protobuf.ByteString.CopyFrom(flags);
            }
            findings.AddRange(verifier.Verify(block));
        }

        var conflict = Assert.Single(findings, f => f.Kind == FindingKind.ReadConflict);
        Assert.Equal((lost.BlockNumber, ledger.LostTransactionId), (conflict.BlockNumber, conflict.TransactionId));
        Assert.Contains("Retailer", conflict.Detail);
        var flag = Assert.Single(findings, f => f.Kind == FindingKind.ValidationFlagInconsistent);
        Assert.Equal(("MvccReadConflict", "VALID"), (flag.Expected, flag.Found));
    }

    [Fact]
    public void The_demo_ledger_holds_key_level_policies_and_valid_writes_under_them()
    {
        var verifier = new BlockVerifier();
        var findings = Enumerable.Range(0, (int)ledger.Stack.Network.Ledger.Height)
            .SelectMany(n => verifier.Verify(ledger.Stack.Network.Ledger.GetBlock((ulong)n))).ToList();

        Assert.Empty(findings);
        var guarded = verifier.State.Keys(LocalStack.ChaincodeName).Where(k => verifier.State.KeyPolicy(LocalStack.ChaincodeName, k.Key) is not null).ToList();
        Assert.NotEmpty(guarded);
        // A guarded key rewritten after it got its policy: its writer was checked against the key-level policy.
        Assert.Contains(guarded, k => k.Entry.BlockNumber > guarded.Min(g => g.Entry.BlockNumber));
    }

    [Fact]
    public async Task Two_agencies_peers_hold_the_same_blocks()
    {
        var (comparison, finding) = await LedgerVerifier.CompareAsync(ledger.Network("WFPMSP"), "WFP", ledger.Network("UNHCRMSP"), "UNHCR", CancellationToken.None);

        Assert.Null(finding);
        Assert.Null(comparison.FirstDifferingBlock);
        Assert.Equal(ledger.Stack.Network.Ledger.Height, comparison.BlocksCompared);
    }

    [Fact]
    public async Task Verify_ledger_exits_0_and_writes_its_result_for_a_clean_ledger_compared_with_another_agency()
    {
        var output = Path.Combine(ledger.Directory, "verify.json");

        var exit = await VerifyLedgerCommand.Create().Parse(["--data", ledger.Directory, "--peer", "UNWomenMSP", "--compare", "UNHCRMSP", "WFPMSP", "--out", output]).InvokeAsync();

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.True(root.GetProperty("verified").GetBoolean());
        Assert.Equal(ledger.Stack.Network.Ledger.Height, root.GetProperty("height").GetUInt64());
        Assert.StartsWith("UNWomenMSP", root.GetProperty("peer").GetString());
        Assert.True(root.GetProperty("stateKeysCompared").GetInt32() > 20);
        Assert.Equal(2, root.GetProperty("comparisons").GetArrayLength());
        Assert.All(root.GetProperty("comparisons").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("firstDifferingBlock").ValueKind));
    }

    [Fact]
    public async Task Verify_ledger_exits_1_and_names_block_0_when_the_compared_peer_holds_another_chain()
    {
        // Another network's peer (its own genesis block): every block differs, so the first one is reported.
        var otherData = System.IO.Directory.CreateTempSubdirectory("cashtransfer-other-").FullName;
        try
        {
            await using var other = await LocalStack.StartAsync(otherData, Quiet());
            var mine = SettingsFile(ledger.Stack, ledger.Directory, "WFPMSP");
            var theirs = SettingsFile(other, otherData, "WFPMSP");
            var output = Path.Combine(otherData, "verify.json");

            var exit = await VerifyLedgerCommand.Create().Parse(["--peer", mine, "--compare", theirs, "--no-state", "--out", output]).InvokeAsync();

            Assert.Equal(1, exit);
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
            Assert.Equal("PeersDiverge", finding.GetProperty("kind").GetString());
            Assert.Equal(0, finding.GetProperty("blockNumber").GetInt32());
            Assert.Equal("block header hash", finding.GetProperty("detail").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("comparisons")[0].GetProperty("firstDifferingBlock").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("stateKeysCompared").GetInt32());

            // As a person reads it in an 80-column terminal: no line wider, the finding on lines of its own.
            var screen = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(screen), Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            console.Profile.Width = 80;
            Assert.Equal(1, await VerifyLedgerCommand.RunAsync(new(ledger.Directory, mine, [theirs], null, "cashtransfer", false, null), console, CancellationToken.None));
            var lines = screen.ToString().Split('\n');
            Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 80, $"wider than 80 columns: {line}"));
            Assert.Contains(lines, line => line.StartsWith("PeersDiverge at block 0", StringComparison.Ordinal));
        }
        finally
        {
            System.IO.Directory.Delete(otherData, recursive: true);
        }
    }

    /// <summary>A Fabric.Client settings file for an agency's Auditor on a local stack's network.</summary>
    private static string SettingsFile(LocalStack stack, string directory, string mspId)
    {
        var peer = stack.Network.Peers.Single(p => p.MspId == mspId);
        var user = stack.Network.Crypto.PeerOrganization(mspId).UserNamed("Auditor");
        var file = Path.Combine(directory, $"{mspId}-auditor.yaml");
        File.WriteAllText(file, $"""
            peerEndpoint: {peer.Uri}
            tlsCaCertPath: {peer.TlsRootCertFile}
            serverNameOverride: {peer.ServerNameOverride}
            mspId: {mspId}
            mspPath: {user.MspDirectory}
            channel: {stack.Network.ChannelName}
            """);
        return file;
    }

    [Fact]
    public async Task Verify_ledger_exits_2_when_it_cannot_run()
    {
        var empty = Directory.CreateTempSubdirectory("verify-none-").FullName;
        var badSettings = Path.Combine(empty, "peer.yaml");
        File.WriteAllText(badSettings, "peerEndpoint: https://127.0.0.1:1\nmspId: X\n");
        try
        {
            Assert.Equal(2, await VerifyLedgerCommand.RunAsync(new(empty, null, [], null, "cashtransfer", true, null), Quiet(), CancellationToken.None));
            Assert.Equal(2, await VerifyLedgerCommand.RunAsync(new(ledger.Directory, "NoSuchMSP", [], null, "cashtransfer", true, null), Quiet(), CancellationToken.None));
            Assert.Equal(2, await VerifyLedgerCommand.RunAsync(new(empty, badSettings, [], null, "cashtransfer", true, null), Quiet(), CancellationToken.None));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private static IAnsiConsole Quiet() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });

    /// <summary>A local stack with a small demo run committed, shared by the tests of this class.</summary>
    public sealed class DemoLedger : IAsyncLifetime
    {
        private readonly List<IDisposable> _owned = [];

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("cashtransfer-verify-").FullName;
        public LocalStack Stack { get; private set; } = null!;

        /// <summary>The channel as the agency's Auditor sees it through the agency's own peer.</summary>
        public Fabric.Client.Network Network(string mspId)
        {
            var peer = Stack.Network.Peers.Single(p => p.MspId == mspId);
            var user = Stack.Network.Crypto.PeerOrganization(mspId).UserNamed("Auditor");
            var channel = peer.OpenChannel();
            var signer = user.CreateSigner();
            lock (_owned) { _owned.Add(channel); _owned.Add(signer); }
            return Fabric.Client.Gateway.Connect(channel, user.Identity, signer).GetNetwork(Stack.Network.ChannelName);
        }

        public async Task InitializeAsync()
        {
            Stack = await LocalStack.StartAsync(Directory, Quiet());
            await new DemoScenario(Stack, Quiet()).RunAsync(beneficiaryCount: 4, CancellationToken.None);
            LostTransactionId = await RegisterOneRetailerTwiceConcurrentlyAsync();
        }

        /// <summary>The registration that lost the MVCC race: committed, flagged MVCC_READ_CONFLICT.</summary>
        public string LostTransactionId { get; private set; } = "";

        // Both proposals read "no such retailer" before either commits: Fabric lets the first one in and flags the second.
        private async Task<string> RegisterOneRetailerTwiceConcurrentlyAsync()
        {
            var op = Stack.ContractAs("WFPMSP", "Operator");
            var registration = JsonSerializer.Serialize(new CashTransfer.Chaincode.Domain.RetailerRegistration("race-shop", ["food"]), Fabric.Shim.Contracts.ContractJson.Options);
            var first = await op.NewProposal("Retail:RegisterRetailer", new Fabric.Client.ProposalOptions().AddArguments(registration)).EndorseAsync();
            var second = await op.NewProposal("Retail:RegisterRetailer", new Fabric.Client.ProposalOptions().AddArguments(registration)).EndorseAsync();
            var submitted = await Task.WhenAll(first.SubmitAsync(), second.SubmitAsync());
            var statuses = await Task.WhenAll(submitted.Select(t => t.GetStatusAsync()));
            return Assert.Single(statuses, s => s.Code == Protos.TxValidationCode.MvccReadConflict).TransactionId;
        }

        public async Task DisposeAsync()
        {
            foreach (var owned in _owned) owned.Dispose();
            await Stack.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
