using System.Net;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>
/// A bulk upload interrupted by a ledger outage and a restart continues at its first unsaved chunk, and still knows
/// the beneficiaries of the chunks saved before it.
/// </summary>
public sealed class BulkResumeTests
{
    private static EntitlementBatch BatchOf(IReadOnlyList<string> args) => JsonSerializer.Deserialize<EntitlementBatch>(args[0], CashTransfer.Api.ApiJson.Options)!;

    /// <summary>The chaincode's answer when every grant of the batch is new.</summary>
    private static object AllIssued(EntitlementBatch batch) =>
        new { programmeId = batch.ProgrammeId, cycle = batch.Cycle, issuedCount = batch.Grants.Count, rows = batch.Grants.Select((_, i) => new { row = i, outcome = "Issued" }) };

    [Fact]
    public async Task An_interrupted_upload_continues_after_a_restart_without_redoing_saved_chunks()
    {
        var ledger = new FakeLedger();
        var data = TempFolder.Create();
        var firstRows = new List<string>();
        var down = true;
        ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, args) =>
        {
            var batch = BatchOf(args);
            lock (firstRows)
            {
                if (firstRows.Count > 0 && down) throw new LedgerUnavailableException("peer unreachable");
                firstRows.Add(batch.Grants[0].BeneficiaryHash);
            }
            return AllIssued(batch);
        };
        var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
        for (int i = 0; i < 2500; i++) // row 1500, sent after the restart, names row 5's beneficiary again
            csv.Append(Beneficiaries.Numbered(i == 1500 ? 5 : i)).Append(",100\n");
        string jobId;
        Action<Dictionary<string, string?>> fast = s => s["CashTransfer:Submitter:BreakerBreakDuration"] = "00:00:00.500";

        await using (var first = new GatewayFactory(data, ledger, settings: fast))
        {
            using var op = first.OperatorClient();
            using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            jobId = (await response.JsonAsync()).GetProperty("jobId").GetString()!;
            await Requests.EventuallyAsync(async () => (await first.Get<BulkJobRepository>().FindAsync(jobId))!.ProcessedRows == 1000, "the first chunk is saved");
            await Task.Delay(500); // a few failed retries of the second chunk
            Assert.Equal(("running", 1000L), ((await first.Get<BulkJobRepository>().FindAsync(jobId))!.Status, (await first.Get<BulkJobRepository>().FindAsync(jobId))!.ProcessedRows));
        }

        down = false;
        await using var second = new GatewayFactory(data, ledger, settings: fast);
        await Requests.EventuallyAsync(async () => (await second.Get<BulkJobRepository>().FindAsync(jobId))!.Status == "completed", "the job completes after the restart");
        var job = (await second.Get<BulkJobRepository>().FindAsync(jobId))!;
        Assert.Equal((2500L, 2499L, 1L), (job.ProcessedRows, job.IssuedRows, job.FailedRows));
        Assert.Equal(3, firstRows.Count); // chunk 1 before the outage, chunks 2 and 3 after the restart: none twice
        Assert.Equal(3, firstRows.Distinct().Count());
        var results = File.ReadAllLines(job.ResultPath);
        Assert.Equal(2501, results.Length);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => i.ToString()), results.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal("1500,Invalid,The beneficiary appears twice in the upload (first at row 5).", results[1501]);
    }

    [Fact]
    public async Task A_job_left_half_done_in_file_order_by_an_earlier_version_goes_on_with_the_rows_it_had_not_processed()
    {
        var ledger = new FakeLedger();
        var data = TempFolder.Create();
        var sent = new List<string>();
        var up = false;
        var refused = 0;
        ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, args) =>
        {
            if (!up)
            {
                Interlocked.Increment(ref refused);
                throw new LedgerUnavailableException("peer unreachable");
            }
            var batch = BatchOf(args);
            lock (sent) sent.AddRange(batch.Grants.Select(g => g.BeneficiaryHash));
            return AllIssued(batch);
        };
        var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
        for (int i = 0; i < 2500; i++) csv.Append(Beneficiaries.Numbered(i)).Append(",100\n");
        string jobId;
        Action<Dictionary<string, string?>> fast = s => s["CashTransfer:Submitter:BreakerBreakDuration"] = "00:00:00.500";

        Action<Dictionary<string, string?>> slow = s => s["CashTransfer:Submitter:BreakerBreakDuration"] = "00:10:00";
        await using (var first = new GatewayFactory(data, ledger, settings: slow))
        {
            using var op = first.OperatorClient();
            using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            jobId = (await response.JsonAsync()).GetProperty("jobId").GetString()!;
            // The first chunk was refused: the job waits ten minutes before it tries again, so its files can be changed.
            await Requests.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref refused) > 0), "the first chunk is refused");
            // What a version that issued rows in file order left after its first chunk: rows 0-999 done.
            var job = (await first.Get<BulkJobRepository>().FindAsync(jobId))!;
            await File.WriteAllTextAsync(job.ResultPath, "row,outcome,message\n" + string.Concat(Enumerable.Range(0, 1000).Select(r => $"{r},Issued,\n")));
            (job.ProcessedRows, job.IssuedRows) = (1000, 1000);
            await first.Get<BulkJobRepository>().SaveProgressAsync(job);
        }

        up = true;
        await using var second = new GatewayFactory(data, ledger, settings: fast);
        await Requests.EventuallyAsync(async () => (await second.Get<BulkJobRepository>().FindAsync(jobId))!.Status == "completed", "the job completes after the restart");
        var done = (await second.Get<BulkJobRepository>().FindAsync(jobId))!;
        Assert.Equal((2500L, 2500L, 0L), (done.ProcessedRows, done.IssuedRows, done.FailedRows));
        Assert.Equal(Enumerable.Range(1000, 1500).Select(Beneficiaries.Numbered).Order(StringComparer.Ordinal), sent); // each once, none of rows 0-999
        var results = File.ReadAllLines(done.ResultPath);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => i.ToString()), results.Skip(1).Select(l => l.Split(',')[0]));
    }
}
