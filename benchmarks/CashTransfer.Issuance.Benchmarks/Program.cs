using System.Diagnostics;
using System.Security.Cryptography;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Hosting;
using CashTransfer.Gateway.Ledger.Fabric;
using CashTransfer.Gateway.Options;
using CashTransfer.Issuance.Benchmarks;
using CashTransfer.Local;
using Microsoft.Extensions.Logging;

// Rows/s of a cycle's entitlements uploaded to the gateway service (POST /api/operator/entitlement-uploads, CSV) until
// the upload job has issued every row on the embedded network, next to plain writes of as many keys in chunks of the
// same size sent straight to the peers in the same run; the service's peak memory.
// Usage: [rows] [chunk size] (defaults 20,000 and the service's CashTransfer:Bulk:ChunkSize).
if (args is [ChildStack.Mode, var stackData])
{
    await ChildStack.ServeAsync(stackData);
    return;
}
var rows = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var referenceRows = Math.Min(rows, 20_000);
var chunk = args.Length > 1 ? int.Parse(args[1]) : new BulkOptions().ChunkSize;
var data = Directory.CreateTempSubdirectory("cashtransfer-issuance-bench-").FullName;
try
{
    await using var stack = await ChildStack.StartAsync(data);
    using var identities = new NetworkIdentities(Path.Combine(data, "network"));
    Console.WriteLine("Embedded network (child process): 3 agencies, MAJORITY endorsement, TLS;");
    Console.WriteLine($"{Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; gateway service in this process;");
    Console.WriteLine($"{rows:N0} rows, chunks of {chunk:N0}");

    var reference = identities.Connect("WFPMSP", "User1").GetNetwork(identities.Channel).GetContract(ChildStack.ReferenceChaincode);
    await reference.SubmitTransactionAsync("WriteAll", "warm-up"); // connections and chaincode streams open before the clock
    var clock = Stopwatch.StartNew();
    for (var first = 0; first < referenceRows; first += chunk)
        await reference.SubmitTransactionAsync("WriteAll", string.Join(',', Enumerable.Range(first, Math.Min(chunk, referenceRows - first)).Select(i => $"row-{i}")));
    var plainRate = referenceRows / clock.Elapsed.TotalSeconds;
    Console.WriteLine("  reference, plain writes (one PutState per row, chunks one after another):");
    Console.WriteLine($"    {referenceRows:N0} rows, {plainRate:F0} rows/s");

    using var operatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    const string operatorKeyId = "operator/bench";
    var (app, address) = await InProcessGateway.StartAsync(new Dictionary<string, string?>
    {
        ["CashTransfer:DataDirectory"] = Path.Combine(data, "gateway"),
        ["CashTransfer:AgencyMsp"] = "WFPMSP",
        ["CashTransfer:Storage:Provider"] = "Sqlite",
        ["CashTransfer:Bulk:ChunkSize"] = chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Default"] = "Warning", // over the service's appsettings.json: the progress line stays readable
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        ["Logging:LogLevel:CashTransfer.Gateway.Bulk"] = "Information", // whether the chunks went side by side, and why not
        ["CashTransfer:Clients:0:KeyId"] = operatorKeyId,
        ["CashTransfer:Clients:0:Role"] = "Operator",
        ["CashTransfer:Clients:0:AgencyMsp"] = "WFPMSP",
        ["CashTransfer:Clients:0:PublicKeyPem"] = operatorKey.ExportSubjectPublicKeyInfoPem(),
    }, new FabricLedgerGateway(identities, identities.Channel, LocalStack.ChaincodeName), "http://127.0.0.1:0", l => l.AddSimpleConsole()); // a job that retries shows why
    await using (app)
    {
        using var client = CashTransferClient.Connect(address, operatorKeyId, new P256Signer(operatorKey));
        const long amount = 1_000;
        var programmeId = $"bench-{Guid.NewGuid():N}"[..20];
        await client.Operator.CreateProgrammeAsync(new ProgrammeDefinitionDto(programmeId, new Money(rows * amount, "JOD"),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), 1, new SpendingRestrictionDto("Cash", null), null));
        var upload = Path.Combine(data, "upload.csv");
        await UploadFile.WriteAsync(upload, rows, amount);

        clock.Restart();
        var job = await client.Operator.UploadEntitlementsAsync(programmeId, "2026-12", () => File.OpenRead(upload));
        var uploadPeak = PeakMemory.OfThisProcess;
        PeakMemory.ResetThisProcess();
        var progress = new ProgressLine(rows);
        while (job.Status is not ("completed" or "failed"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // the clock's resolution: polling each second quantised a 20 s run to 5 %
            job = await client.Operator.GetUploadAsync(job.JobId);
            progress.Show(job.ProcessedRows, clock.Elapsed, PeakMemory.OfThisProcess);
        }
        var elapsed = clock.Elapsed;
        progress.Done();
        if (job.Status != "completed" || job.IssuedRows != rows)
            throw new InvalidOperationException($"the upload ended {job.Status} with {job.IssuedRows} of {rows} rows issued ({job.Error}).");
        // Chunks committed side by side, each spending its part of the upload's reservation: the budget counts each row once.
        long? budgetIssued = null;
        await foreach (var programme in client.Operator.ListProgrammesAsync())
            if (programme.ProgrammeId == programmeId) budgetIssued = programme.IssuedMinor;
        if (budgetIssued != rows * amount)
            throw new InvalidOperationException($"the programme's budget counts {budgetIssued?.ToString() ?? "nothing"} issued, not {rows * amount}.");
        var rate = rows / elapsed.TotalSeconds;
        Console.WriteLine($"  gateway service, entitlement upload of {rows:N0} rows (CSV): {elapsed.TotalSeconds:F1} s, {rate:F0} rows/s");
        Console.WriteLine($"    10^6 rows would take {1_000_000 / rate / 60:F1} min");
        Console.WriteLine($"  peak memory: gateway service {PeakMemory.MiB(PeakMemory.OfThisProcess)} while the job ran; network + chaincode");
        Console.WriteLine($"    process {PeakMemory.MiB(stack.PeakMemoryBytes)}; this process {PeakMemory.MiB(uploadPeak)} until the upload was answered");
        Console.WriteLine("    (that includes the benchmark's client, which streams the upload)");
        Console.WriteLine($"  upload rows/s / plain-write rows/s: {rate / plainRate:F2}");
        Console.WriteLine($"summary: upload {rate:F0} rows/s = {rate / plainRate:F2} x plain writes ({plainRate:F0}/s), " +
                          $"service peak {PeakMemory.MiB(PeakMemory.OfThisProcess)}");
        await app.StopAsync(); // as the service stops: its workers end without reporting the cancellation as a failure
    }
}
finally
{
    Directory.Delete(data, recursive: true);
}
