using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Fabric.Grpc.Client;
using Fabric.Network.Benchmarks;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Contracts;
using Fabric.Shim.Server;

// End-to-end submits/s (endorse on two agencies, order, validate, commit, commit status) through Fabric.Client,
// next to the ceiling crypto alone would allow: the ECDSA signatures made and checked per transaction, counted in
// this process during the run, at the P-256 sign and verify rates measured in the same process.
var seconds = args.Length > 0 ? int.Parse(args[0]) : 8;
var definition = NetworkDefinition.Default();
if (args.Length > 1) definition.Batch.BatchTimeoutMs = int.Parse(args[1]);
if (args.Length > 2) definition.Batch.MaxMessageCount = int.Parse(args[2]);
var data = Path.Combine(Path.GetTempPath(), $"network-bench-{Guid.NewGuid():N}");
await using var chaincode = await ChaincodeServer.StartAsync(
    new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = "bench_1.0", TlsDisabled = true }, new ContractRouter(new WriteContract()));
definition.Chaincodes.Add(new ChaincodeDefinition { Name = "bench", Address = $"127.0.0.1:{chaincode.Port}", EndorsementPolicy = "MAJORITY Endorsement" });
await using (var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = data, Definition = definition }))
{
    var peer = network.Peers[0];
    var user = network.Client(peer.MspId);
    using var channel = FabricChannel.Create(peer.Uri, new FabricChannelOptions
    {
        TrustedRoots = [X509Certificate2.CreateFromPem(File.ReadAllText(peer.TlsRootCertFile))],
        ServerNameOverride = peer.ServerNameOverride,
    });
    using var signer = user.CreateSigner();
    var contract = Fabric.Client.Gateway.Connect(channel, user.Identity, signer).GetNetwork(network.ChannelName).GetContract("bench");

    Console.WriteLine("Embedded network: 3 agencies, MAJORITY endorsement (2 endorsing peers), TLS");
    Console.WriteLine($"  {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {seconds} s per run");
    Console.WriteLine($"  batch timeout {definition.Batch.BatchTimeoutMs} ms, at most {definition.Batch.MaxMessageCount} transactions a block");
    using var ecdsa = new EcdsaCounts();
    foreach (var clients in new[] { 1, 50 })
    {
        await RunAsync(contract, 2, TimeSpan.FromSeconds(1)); // warm-up
        var before = ecdsa.Now;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var (rate, phases) = await RunAsync(contract, clients, TimeSpan.FromSeconds(seconds));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var after = ecdsa.Now;
        Console.WriteLine($"  {clients,2} concurrent clients: {rate,8:F1} submits/s");
        Console.WriteLine($"      {phases}");
        // Per submit, in this process (clients, network and chaincode): bytes allocated do not move with the machine's
        // neighbours as submits/s and CPU time do, so they are the figure to compare builds by.
        Console.WriteLine($"      per submit: {cpu.TotalMicroseconds / phases.Count:F0} µs of CPU, {allocated / 1024.0 / phases.Count:F0} KiB allocated");
        if (clients == 50)
            Report(rate, (after.Signatures - before.Signatures) / (double)phases.Count, (after.Verifications - before.Verifications) / (double)phases.Count);
    }
}
Directory.Delete(data, recursive: true);

// Each submit as its three steps, timed apart, so that the figure says where a submit's time goes.
static async Task<(double Rate, SubmitPhases Phases)> RunAsync(Fabric.Client.Contract contract, int clients, TimeSpan duration)
{
    var phases = new SubmitPhases();
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, clients).Select(async c =>
    {
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var endorsed = await contract.NewProposal("Write", new Fabric.Client.ProposalOptions().AddArguments($"key-{c}-{i}", "v")).EndorseAsync();
            var afterEndorse = Stopwatch.GetTimestamp();
            var submitted = await endorsed.SubmitAsync();
            var afterSubmit = Stopwatch.GetTimestamp();
            var status = await submitted.GetStatusAsync();
            if (!status.Successful) throw new InvalidOperationException($"transaction {submitted.TransactionId} failed: {status.Code}");
            phases.Add(afterEndorse - started, afterSubmit - afterEndorse, Stopwatch.GetTimestamp() - afterSubmit);
        }
    });
    await Task.WhenAll(workers);
    return (phases.Count / clock.Elapsed.TotalSeconds, phases);
}

static void Report(double submitsPerSecond, double signatures, double verifications)
{
    // Counted, not assumed. By the protocol flow a transaction takes 5 signatures (the client's proposal, envelope
    // and commit-status request, 2 endorsements; the orderer's block signature amortised over the block) and 5
    // verifications in one process (the proposal, the envelope, 2 endorsements, the commit-status request: a
    // repeat of one of them on another node of this process is remembered, see SignatureMemo).
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var message = new byte[512];
    var signed = 0; var verified = 0;
    var clock = Stopwatch.StartNew();
    byte[] signature = [];
    while (clock.Elapsed < TimeSpan.FromSeconds(2)) { signature = key.SignData(message, HashAlgorithmName.SHA256); signed++; }
    var signRate = signed / clock.Elapsed.TotalSeconds;
    clock.Restart();
    while (clock.Elapsed < TimeSpan.FromSeconds(2)) { key.VerifyData(message, signature, HashAlgorithmName.SHA256); verified++; }
    var verifyRate = verified / clock.Elapsed.TotalSeconds;
    var ceiling = 1 / (signatures / signRate + verifications / verifyRate);
    Console.WriteLine($"  ECDSA P-256 on one core: {signRate:F0} signs/s, {verifyRate:F0} verifies/s");
    Console.WriteLine($"  per transaction at 50 clients (counted): {signatures:F2} signatures, {verifications:F2} verifications");
    Console.WriteLine($"  crypto-only ceiling: {ceiling:F0} tx/s per core, {ceiling * Environment.ProcessorCount:F0} tx/s on {Environment.ProcessorCount} cores");
    Console.WriteLine($"  end-to-end at 50 clients / crypto ceiling ({Environment.ProcessorCount} cores): {submitsPerSecond / (ceiling * Environment.ProcessorCount):P1}");
    Console.WriteLine($"summary: network {submitsPerSecond:F0} submits/s at 50 clients, {submitsPerSecond / (ceiling * Environment.ProcessorCount):P1} of ECDSA ceiling {ceiling * Environment.ProcessorCount:F0} tx/s");
}
