using System.Net;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;

namespace CashTransfer.Gateway.Tests.Background;

/// <summary>
/// An upload's chunks at the ledger side by side, each spending its own part of a budget reservation: against the real
/// contract (whose in-memory ledger validates reads at commit, as Fabric does) and against a ledger that records the calls.
/// </summary>
public sealed class BulkParallelTests
{
    private static readonly Action<Dictionary<string, string?>> SmallChunks = s =>
    {
        s["CashTransfer:Bulk:ChunkSize"] = "100";
        s["CashTransfer:Bulk:ParallelChunks"] = "4";
        s["CashTransfer:Submitter:BreakerBreakDuration"] = "00:00:00.500";
    };

    private static string Csv(int rows, long amount) =>
        string.Concat(Enumerable.Range(0, rows).Select(i => $"{Beneficiaries.Numbered(i)},{amount}\n").Prepend("beneficiaryHash,amountMinor\n"));

    private static async Task<JsonElement> UploadAsync(GatewayFactory f, string csv, string programme = "P-1")
    {
        using var op = f.OperatorClient();
        using var response = await op.SendAsync(Requests.PostRaw($"api/operator/entitlement-uploads?programmeId={programme}&cycle=2026-11", csv, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement job = default;
        await Requests.EventuallyAsync(async () =>
        {
            job = await (await op.GetAsync(response.Headers.Location!.ToString().TrimStart('/'))).JsonAsync();
            return job.GetProperty("status").GetString() is "completed" or "failed";
        }, "the upload job finishes", 60000);
        return job;
    }

    private static async Task CreateProgrammeAsync(GatewayFactory f, long budget)
    {
        using var op = f.OperatorClient();
        var now = DateTimeOffset.UtcNow;
        using var created = await op.SendAsync(Requests.Post("api/operator/programmes", new
        {
            programmeId = "P-1", budget = new { minor = budget, currency = "KES" }, validFrom = now.AddDays(-1), validUntil = now.AddDays(30), priority = 1,
            restriction = new { kind = "Cash", categories = Array.Empty<string>() }, allowedRetailers = Array.Empty<string>(),
        }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static JsonElement BudgetRecord(ContractLedger ledger) =>
        JsonDocument.Parse(ledger.World.GetState("\0ProgrammeBudget\0P-1\0")).RootElement;

    private static int OpenReservationParts(ContractLedger ledger) => ledger.World.Keys.Count(k => k.StartsWith("\0BudgetReservation\0", StringComparison.Ordinal));

    [Fact]
    public async Task Through_the_real_contract_every_row_is_issued_once_and_the_budget_counts_it_once()
    {
        var ledger = new ContractLedger();
        await using var f = new GatewayFactory(ledgerPort: ledger, settings: SmallChunks);
        await CreateProgrammeAsync(f, 1_000_000);

        var job = await UploadAsync(f, Csv(1_050, 500));
        Assert.Equal(("completed", 1_050L, 0L), (job.GetProperty("status").GetString(), job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));
        Assert.Contains(ledger.World.Events, e => e.EventName == ChaincodeEvents.BudgetReserved);
        Assert.Equal(11, ledger.World.Events.Count(e => e.EventName == ChaincodeEvents.EntitlementsIssued)); // no chunk failed validation and was sent again
        Assert.Equal(0, OpenReservationParts(ledger));
        var budget = BudgetRecord(ledger);
        Assert.Equal((525_000L, false), (budget.GetProperty("issuedMinor").GetInt64(), budget.TryGetProperty("reservedMinor", out _)));

        using var auditor = f.AuditorClient();
        long entitlementsIssued = 0;
        for (var bookmark = ""; ;)
        {
            var page = await (await auditor.GetAsync($"api/audit/programmes/P-1/totals?bookmark={Uri.EscapeDataString(bookmark)}")).JsonAsync();
            Assert.Equal(525_000L, page.GetProperty("budgetIssuedMinor").GetInt64());
            entitlementsIssued += page.GetProperty("issued").GetInt64();
            if ((bookmark = page.GetProperty("bookmark").GetString()!) == "") break;
        }
        Assert.Equal(525_000L, entitlementsIssued);

        // The same file again: every row already issued, the second reservation given back whole.
        var again = await UploadAsync(f, Csv(1_050, 500));
        Assert.Equal(1_050L, again.GetProperty("issuedRows").GetInt64());
        Assert.Equal((525_000L, 0), (BudgetRecord(ledger).GetProperty("issuedMinor").GetInt64(), OpenReservationParts(ledger)));
    }

    [Fact]
    public async Task When_the_budget_cannot_cover_the_upload_its_chunks_go_one_after_another_and_issue_what_it_covers()
    {
        var ledger = new ContractLedger();
        await using var f = new GatewayFactory(ledgerPort: ledger, settings: SmallChunks);
        await CreateProgrammeAsync(f, 250 * 500); // 250 of the 400 rows

        var job = await UploadAsync(f, Csv(400, 500));
        Assert.DoesNotContain(ledger.World.Events, e => e.EventName == ChaincodeEvents.BudgetReserved);
        Assert.Equal(("completed", 200L, 200L), (job.GetProperty("status").GetString(), job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));
        Assert.Equal(100_000L, BudgetRecord(ledger).GetProperty("issuedMinor").GetInt64());
    }

    [Fact]
    public async Task Chunks_go_side_by_side_each_with_its_own_part_and_the_reservation_is_released_once_after_the_last()
    {
        var ledger = new FakeLedger();
        var calls = new List<string>();
        BudgetReservationRequest? reserved = null;
        var parts = new List<(int Part, int Grants, long Total)>();
        int atOnce = 0, mostAtOnce = 0;
        using var firstFour = new CountdownEvent(4); // the first four chunks wait for each other: they must be at the ledger together
        ledger.Handlers[ChaincodeFunctions.ReserveBudget] = (_, args) =>
        {
            lock (calls) calls.Add("reserve");
            reserved = JsonSerializer.Deserialize<BudgetReservationRequest>(args[0], CashTransfer.Api.ApiJson.Options);
            return new { };
        };
        ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, args) =>
        {
            var batch = JsonSerializer.Deserialize<EntitlementBatch>(args[0], CashTransfer.Api.ApiJson.Options)!;
            var now = Interlocked.Increment(ref atOnce);
            lock (calls)
            {
                calls.Add("issue");
                mostAtOnce = Math.Max(mostAtOnce, now);
                parts.Add((batch.Reservation!.Part, batch.Grants.Count, batch.Grants.Sum(g => g.AmountMinor)));
            }
            if (batch.Reservation.Part < 4)
            {
                firstFour.Signal();
                firstFour.Wait(TimeSpan.FromSeconds(20));
            }
            else Thread.Sleep(50);
            Interlocked.Decrement(ref atOnce);
            return new { programmeId = batch.ProgrammeId, cycle = batch.Cycle, issuedCount = batch.Grants.Count, rows = batch.Grants.Select((_, i) => new { row = i, outcome = "Issued" }) };
        };
        ledger.Handlers[ChaincodeFunctions.ReleaseBudgetReservation] = (_, args) =>
        {
            lock (calls) calls.Add("release " + args[1]);
            return new { };
        };
        await using var f = new GatewayFactory(ledger: ledger, settings: SmallChunks);

        var csv = new StringBuilder(Csv(950, 7)).Append("not-a-hash,7\n").ToString(); // one invalid row: not reserved for
        var job = await UploadAsync(f, csv);
        Assert.Equal((950L, 1L), (job.GetProperty("issuedRows").GetInt64(), job.GetProperty("failedRows").GetInt64()));
        var jobId = job.GetProperty("jobId").GetString()!;

        Assert.Equal(("P-1", jobId, 0), (reserved!.ProgrammeId, reserved.ReservationId, reserved.FirstPart));
        Assert.Equal(10, reserved.AmountsMinor.Count);
        Assert.Equal(950 * 7, reserved.AmountsMinor.Sum());
        Assert.Equal(Enumerable.Range(0, 10), parts.Select(p => p.Part).Order());
        Assert.All(parts, p => Assert.Equal(reserved.AmountsMinor[p.Part], p.Total)); // each chunk spends exactly its part
        Assert.Equal((0, 4), (firstFour.CurrentCount, mostAtOnce)); // four at once, never more
        Assert.Equal(["reserve", .. Enumerable.Repeat("issue", 10), "release " + jobId], calls);
    }

    [Fact]
    public async Task A_job_stopped_between_chunks_reserves_again_without_doubling_and_releases_after_a_restart()
    {
        var ledger = new FakeLedger();
        var data = TempFolder.Create();
        var reservations = new List<string>();
        var released = 0;
        var issueCalls = 0;
        var down = true;
        ledger.Handlers[ChaincodeFunctions.ReserveBudget] = (_, args) =>
        {
            lock (reservations) reservations.Add(string.Join(",", JsonSerializer.Deserialize<BudgetReservationRequest>(args[0], CashTransfer.Api.ApiJson.Options)!.AmountsMinor));
            return new { };
        };
        ledger.Handlers[ChaincodeFunctions.IssueEntitlements] = (_, args) =>
        {
            var batch = JsonSerializer.Deserialize<EntitlementBatch>(args[0], CashTransfer.Api.ApiJson.Options)!;
            if (Interlocked.Increment(ref issueCalls) > 3 && Volatile.Read(ref down)) throw new LedgerUnavailableException("peer unreachable");
            return new { programmeId = batch.ProgrammeId, cycle = batch.Cycle, issuedCount = batch.Grants.Count, rows = batch.Grants.Select((_, i) => new { row = i, outcome = "Issued" }) };
        };
        ledger.Handlers[ChaincodeFunctions.ReleaseBudgetReservation] = (_, _) =>
        {
            Interlocked.Increment(ref released);
            return new { };
        };
        string jobId;
        Action<Dictionary<string, string?>> slow = s => { SmallChunks(s); s["CashTransfer:Submitter:BreakerBreakDuration"] = "00:10:00"; };
        await using (var first = new GatewayFactory(data, ledger, settings: slow))
        {
            using var op = first.OperatorClient();
            using var response = await op.SendAsync(Requests.PostRaw("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", Csv(1_000, 5), "text/csv"));
            jobId = (await response.JsonAsync()).GetProperty("jobId").GetString()!;
            await Requests.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref issueCalls) > 3), "a chunk is refused");
            await Task.Delay(500); // the job pauses for ten minutes
            var paused = (await first.Get<BulkJobRepository>().FindAsync(jobId))!;
            Assert.Equal("running", paused.Status);
            Assert.InRange(paused.ProcessedRows, 100, 300);
            Assert.Equal(0, Volatile.Read(ref released));
        }

        Volatile.Write(ref down, false);
        await using var second = new GatewayFactory(data, ledger, settings: SmallChunks);
        await Requests.EventuallyAsync(async () => (await second.Get<BulkJobRepository>().FindAsync(jobId))!.Status == "completed", "the job completes after the restart");
        var job = (await second.Get<BulkJobRepository>().FindAsync(jobId))!;
        Assert.Equal((1_000L, 1_000L, 0L), (job.ProcessedRows, job.IssuedRows, job.FailedRows));
        Assert.Equal(2, reservations.Count);
        Assert.Equal(reservations[0], reservations[1]); // the same parts, so the ledger changes nothing the second time
        Assert.Equal(1, released);
        var rows = File.ReadAllLines(job.ResultPath).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => i.ToString()), rows);
    }
}
