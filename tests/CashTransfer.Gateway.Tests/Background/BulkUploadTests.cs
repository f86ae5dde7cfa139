using System.Net;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>Bulk entitlement uploads: processed in the background in chunks, with progress and a per-row result file.</summary>
public sealed class BulkUploadTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new();
    private readonly List<(LedgerCaller Caller, List<string> Beneficiaries)> _chunks = [];

    public Task InitializeAsync()
    {
        var issued = new HashSet<string>();
        _f.Ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (caller, args) =>
        {
            var batch = JsonSerializer.Deserialize<EntitlementBatch>(args[0], CashTransfer.Api.ApiJson.Options)!;
            lock (_chunks) _chunks.Add((caller, batch.Grants.Select(g => g.BeneficiaryHash).ToList()));
            var rows = batch.Grants.Select((g, i) => new { row = i, outcome = issued.Add(g.BeneficiaryHash) ? "Issued" : "AlreadyIssued" }).ToList();
            return new { programmeId = batch.ProgrammeId, cycle = batch.Cycle, issuedCount = rows.Count(r => r.outcome == "Issued"), rows };
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<JsonElement> WaitForJobAsync(HttpClient op, string statusUrl)
    {
        JsonElement job = default;
        await Requests.EventuallyAsync(async () =>
        {
            job = await (await op.GetAsync(statusUrl.TrimStart('/'))).JsonAsync();
            return job.GetProperty("status").GetString() is "completed" or "failed";
        }, "the upload job finishes", 60000);
        return job;
    }

    [Fact]
    public async Task A_csv_upload_is_issued_in_chunks_with_a_result_per_row()
    {
        var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
        for (int i = 0; i < 2500; i++)
        {
            if (i == 10) csv.Append("Amina Yusuf,1000\n");          // personal data instead of a hash
            else if (i == 20) csv.Append(Beneficiaries.Numbered(i)).Append(",-5\n");    // not a whole positive amount
            else if (i == 30) csv.Append(Beneficiaries.Numbered(29)).Append(",1000\n"); // the same beneficiary twice
            else if (i == 1500) csv.Append(Beneficiaries.Numbered(5)).Append(",1000\n"); // and again, in another chunk
            else csv.Append(Beneficiaries.Numbered(i)).Append(",1000\n");
        }
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=2026-03", csv.ToString(), "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());

        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal((2500, 2500, 2496, 4), (job.GetProperty("totalRows").GetInt64(), job.GetProperty("processedRows").GetInt64(),
            job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));
        // Chunks of 1000 upload rows, the 4 invalid ones never reaching the ledger; rows go in beneficiary order, so that each
        // chunk is one range of the programme's index, apart from the others (the chaincode reads each chunk's range once).
        Assert.Equal(2496, _chunks.Sum(c => c.Beneficiaries.Count));
        Assert.Equal(3, _chunks.Count);
        var sent = _chunks.SelectMany(c => c.Beneficiaries).ToList();
        Assert.Equal(sent.Order(StringComparer.Ordinal), sent);
        Assert.All(_chunks, c => Assert.Equal(new LedgerCaller("Org1MSP", "operator"), c.Caller));

        var results = (await (await op.GetAsync(job.GetProperty("resultsUrl").GetString()!.TrimStart('/'))).Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(2501, results.Length);
        Assert.Equal("row,outcome,message", results[0]);
        Assert.Equal("0,Issued,", results[1]);
        Assert.StartsWith("10,Invalid,", results[11]);
        Assert.StartsWith("20,Invalid,", results[21]);
        Assert.Equal("30,Invalid,The beneficiary appears twice in the upload (first at row 29).", results[31]);
        Assert.Equal("1500,Invalid,The beneficiary appears twice in the upload (first at row 5).", results[1501]);
        Assert.Equal("2499,Issued,", results[2500]);
    }

    [Fact]
    public async Task A_json_upload_resent_changes_nothing_on_the_ledger()
    {
        var rows = Enumerable.Range(0, 5).Select(i => new { beneficiaryHash = Beneficiaries.Numbered(i), amountMinor = 700 }).ToList();
        using var op = _f.OperatorClient();
        foreach (var expected in new[] { "Issued", "AlreadyIssued" })
        {
            using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", JsonSerializer.Serialize(rows), "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());
            var results = await (await op.GetAsync(job.GetProperty("resultsUrl").GetString()!.TrimStart('/'))).Content.ReadAsStringAsync();
            Assert.Equal(5, results.Split('\n').Count(l => l.Contains($",{expected},")));
        }
    }

    [Fact]
    public async Task Uploads_in_an_unknown_format_or_shape_are_refused_and_create_no_job()
    {
        using var op = _f.OperatorClient();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", "x", "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", "name,amount\nA,1\n", "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", "{\"a\":1}", "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=bad id&cycle=c1", "beneficiaryHash,amountMinor\n", "text/csv"))).StatusCode);
        Assert.Empty(await _f.Get<BulkJobRepository>().ListUnfinishedAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(_f.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task An_upload_with_more_rows_than_allowed_fails_with_its_count_and_reaches_no_ledger()
    {
        await using var f = new GatewayFactory(ledger: _f.Ledger, settings: s => s["CashTransfer:Bulk:MaxRows"] = "5");
        using var op = f.OperatorClient();
        var csv = "beneficiaryHash,amountMinor\n" + string.Concat(Enumerable.Range(0, 7).Select(i => Beneficiaries.Numbered(i) + ",5\n"));
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv, "text/csv"));
        var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());
        Assert.Equal(("failed", 7L, "The upload has 7 rows; at most 5 are accepted."),
            (job.GetProperty("status").GetString(), job.GetProperty("totalRows").GetInt64(), job.GetProperty("error").GetString()));
        Assert.Empty(_chunks);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(f.DataDirectory, "uploads"), "*.csv"), p => !p.EndsWith(".results.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_agency_cannot_see_an_upload()
    {
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", "beneficiaryHash,amountMinor\n" + Beneficiaries.Numbered(1) + ",5\n", "text/csv"));
        using var other = _f.Client(GatewayFactory.OtherOperatorKeyId, _f.OtherOperator);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(response.Headers.Location!.ToString().TrimStart('/'))).StatusCode);
    }

    [Fact]
    public async Task A_finished_upload_is_deleted_and_no_personal_data_is_kept_anywhere()
    {
        var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
        csv.Append(Beneficiaries.Numbered(1)).Append(",1000\n");
        csv.Append("Amina Yusuf,+254712345678\n");                 // name and phone number instead of a hash and amount
        csv.Append("Amina Yusuf,1000\n");                          // a name instead of a hash
        csv.Append("Amina Yusuf,+254712345678,Kakuma camp\n");     // extra columns
        csv.Append(Beneficiaries.Numbered(2)).Append(",1000\n");
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv"));
        var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());
        Assert.Equal((2L, 3L), (job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));

        var results = await (await op.GetAsync(job.GetProperty("resultsUrl").GetString()!.TrimStart('/'))).Content.ReadAsStringAsync();
        Assert.Equal(["row,outcome", "0,Issued", "1,Invalid", "2,Invalid", "3,Invalid", "4,Issued"],
            results.TrimEnd('\n').Split('\n').Select(l => string.Join(',', l.Split(',').Take(2))));
        var uploads = Path.Combine(_f.DataDirectory, "uploads");
        Assert.Equal([$"{job.GetProperty("jobId").GetString()}.results.csv"], Directory.GetFiles(uploads).Select(Path.GetFileName));
        AssertNowhere(_f.DataDirectory, "Amina", "254712345678", "Kakuma");
    }

    [Fact]
    public async Task A_ledger_refusal_is_reported_without_repeating_the_rows()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, args) =>
            throw new ChaincodeRejectedException(409, "cannot issue " + args[0]); // a message that quotes what it was sent
        var csv = "beneficiaryHash,amountMinor\n" + Beneficiaries.Numbered(7) + ",1000\n";
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv, "text/csv"));
        var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());
        var results = await (await op.GetAsync(job.GetProperty("resultsUrl").GetString()!.TrimStart('/'))).Content.ReadAsStringAsync();
        Assert.StartsWith("0,Refused,", results.Split('\n')[1]);
        Assert.DoesNotContain(Beneficiaries.Numbered(7), results);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_f.DataDirectory, "uploads")), f => !f.EndsWith(".results.csv"));
    }

    [Fact]
    public async Task A_chunk_too_large_for_the_network_is_sent_again_in_halves_and_the_job_completes()
    {
        var attempts = new List<int>();
        _f.Ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, args) =>
        {
            var batch = JsonSerializer.Deserialize<EntitlementBatch>(args[0], CashTransfer.Api.ApiJson.Options)!;
            lock (attempts) attempts.Add(batch.Grants.Count);
            if (batch.Grants.Count > 300) throw new LedgerTransactionTooLargeException("Received message exceeds the maximum configured message size.");
            return new { programmeId = batch.ProgrammeId, cycle = batch.Cycle, issuedCount = batch.Grants.Count, rows = batch.Grants.Select((_, i) => new { row = i, outcome = "Issued" }) };
        };
        var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
        for (int i = 0; i < 1000; i++) csv.Append(Beneficiaries.Numbered(i)).Append(",1000\n");
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv.ToString(), "text/csv"));
        var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());

        Assert.Equal(("completed", 1000L, 0L), (job.GetProperty("status").GetString(), job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));
        Assert.Equal([1000, 500, 250, 250, 500, 250, 250], attempts); // a refused transaction wrote nothing: its halves go in order
        var results = (await (await op.GetAsync(job.GetProperty("resultsUrl").GetString()!.TrimStart('/'))).Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"{i},Issued,"), results.Skip(1));
    }

    [Fact]
    public async Task A_row_too_large_on_its_own_is_refused_and_the_job_still_completes()
    {
        _f.Ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, _) =>
            throw new LedgerTransactionTooLargeException("trying to send message larger than max (5242880 vs. 4194304)");
        var csv = "beneficiaryHash,amountMinor\n" + Beneficiaries.Numbered(1) + ",1000\n" + Beneficiaries.Numbered(2) + ",1000\n";
        using var op = _f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", csv, "text/csv"));
        var job = await WaitForJobAsync(op, response.Headers.Location!.ToString());

        Assert.Equal(("completed", 0L, 2L), (job.GetProperty("status").GetString(), job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));
        var results = (await (await op.GetAsync(job.GetProperty("resultsUrl").GetString()!.TrimStart('/'))).Content.ReadAsStringAsync()).Split('\n');
        Assert.StartsWith("0,Refused,", results[1]);
        Assert.StartsWith("1,Refused,", results[2]);
    }

    [Fact]
    public async Task Uploads_left_by_earlier_runs_and_killed_requests_are_deleted_at_start()
    {
        var data = TempFolder.Create();
        var uploads = Directory.CreateDirectory(Path.Combine(data, "uploads")).FullName;
        File.WriteAllText(Path.Combine(uploads, "0123.csv"), "beneficiaryHash,amountMinor\nAmina Yusuf,1\n");   // a finished job's upload kept by an older version
        File.WriteAllText(Path.Combine(uploads, "4567.csv.part"), "beneficiaryHash,amountMinor\nAmin");      // a request killed mid-upload
        File.WriteAllText(Path.Combine(uploads, "0123.results.csv"), "row,outcome,message\n0,Invalid,\n");
        await using var restarted = new GatewayFactory(data);
        using var op = restarted.OperatorClient();
        await Requests.EventuallyAsync(() => Task.FromResult(Directory.GetFiles(uploads).Length == 1), "the leftovers are deleted");
        Assert.Equal("0123.results.csv", Path.GetFileName(Directory.GetFiles(uploads).Single()));
    }

    /// <summary>No file under the folder (database included) holds any of the texts.</summary>
    private static void AssertNowhere(string folder, params string[] texts)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var content = Encoding.UTF8.GetString(File.ReadAllBytes(file));
            foreach (var text in texts) Assert.False(content.Contains(text, StringComparison.Ordinal), $"{file} holds '{text}'");
        }
    }
}
