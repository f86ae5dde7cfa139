using CashTransfer.Api.Client;
using System.Text;
using System.Text.Json;

namespace CashTransfer.Local;

/// <summary>
/// Seeds the demo agency set through the gateway's operator API, once per data directory: the retailer, its
/// terminals with their public keys, the two programmes, and a first cycle of entitlements. Every step has a fixed
/// Idempotency-Key and a registration the ledger already holds (409) counts as done, so a seed interrupted half way
/// simply runs again; the agency file records when it is complete.
/// </summary>
public sealed class DemoSeeder(string dataDirectory, Uri gateway)
{
    private static readonly TimeSpan JobWait = TimeSpan.FromMinutes(3);

    /// <summary>Seeds unless the agency file says it is done; returns the agency as saved.</summary>
    public async Task<DemoAgency> EnsureSeededAsync(DemoAgency agency, Action<string> progress, CancellationToken ct)
    {
        if (agency.Seeded) return agency;
        using var wfp = DemoClients.Connect(gateway, dataDirectory, agency.Operator("WFPMSP"));
        progress($"retailer {agency.RetailerId}");
        await CreateAsync(wfp, "api/operator/retailers", new { retailerId = agency.RetailerId, categories = agency.RetailerCategories }, $"seed/retailer/{agency.RetailerId}", ct);
        foreach (var terminal in agency.Terminals)
        {
            progress($"terminal {terminal.TerminalId}");
            await CreateAsync(wfp, "api/operator/terminals",
                new { terminalId = terminal.TerminalId, retailerId = agency.RetailerId, publicKeyPem = DemoAgency.PublicKeyPem(dataDirectory, terminal.KeyFile) },
                $"seed/terminal/{terminal.TerminalId}", ct);
        }
        foreach (var programme in agency.Programmes)
        {
            progress($"programme {programme.ProgrammeId}");
            using var owner = DemoClients.Connect(gateway, dataDirectory, agency.Operator(programme.OwnerMsp));
            await CreateAsync(owner, "api/operator/programmes", new
            {
                programmeId = programme.ProgrammeId,
                // A budget far above what the demo issues, so that every `make demo` run can issue a new cycle.
                budget = new { minor = 1_000_000_000_000L, currency = agency.Currency },
                validFrom = agency.CreatedAt.AddDays(-1),
                validUntil = agency.CreatedAt.AddYears(2),
                priority = programme.Priority,
                restriction = new { kind = programme.Kind, categories = programme.Categories },
                allowedRetailers = new[] { agency.RetailerId },
            }, $"seed/programme/{programme.ProgrammeId}", ct);
        }
        progress("entitlements, cycle seed");
        await IssueCycleAsync(dataDirectory, gateway, agency, "seed", ct);
        var seeded = agency with { Seeded = true };
        seeded.Save(dataDirectory);
        return seeded;
    }

    /// <summary>The demo beneficiaries' keyed hashes (synthetic; the ledger never sees anything else).</summary>
    public static IReadOnlyList<string> BeneficiaryHashes(DemoAgency agency) =>
        Enumerable.Range(0, agency.Beneficiaries).Select(i => DemoBeneficiaries.Hash("demo-agency", i)).ToList();

    /// <summary>Issues one cycle of every programme's entitlements to every demo beneficiary through the bulk upload, and waits for the jobs.</summary>
    public static async Task IssueCycleAsync(string dataDirectory, Uri gateway, DemoAgency agency, string cycle, CancellationToken ct)
    {
        foreach (var programme in agency.Programmes)
        {
            using var owner = DemoClients.Connect(gateway, dataDirectory, agency.Operator(programme.OwnerMsp));
            var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
            foreach (var beneficiary in BeneficiaryHashes(agency)) csv.Append(beneficiary).Append(',').Append(programme.PerBeneficiaryMinor).Append('\n');
            var bytes = Encoding.UTF8.GetBytes(csv.ToString());
            // The job id from the body: a replayed answer (same Idempotency-Key) has the stored body.
            var accepted = await owner.Operator.UploadEntitlementsAsync(programme.ProgrammeId, cycle, () => new MemoryStream(bytes), $"entitlements/{programme.ProgrammeId}/{cycle}", ct);
            var deadline = DateTimeOffset.UtcNow + JobWait;
            while (true)
            {
                var job = await owner.Operator.GetUploadAsync(accepted.JobId, ct);
                if (job.Status == "completed")
                {
                    if (job.FailedRows > 0) throw new InvalidOperationException($"{job.FailedRows} entitlement rows of {programme.ProgrammeId} cycle {cycle} failed; see {job.ResultsUrl}.");
                    break;
                }
                if (job.Status == "failed") throw new InvalidOperationException($"The upload of {programme.ProgrammeId} cycle {cycle} failed: {job.Error}");
                if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"The upload of {programme.ProgrammeId} cycle {cycle} did not finish within {JobWait.TotalMinutes} min.");
                await Task.Delay(250, ct);
            }
        }
    }

    /// <summary>
    /// Sends one seed step; the client retries a 503 (the ledger did not answer in time and the service released the
    /// Idempotency-Key) with the same key. A 409 means the ledger holds it already: an earlier seed got this far.
    /// </summary>
    private static async Task CreateAsync(CashTransferClient api, string path, object body, string idempotencyKey, CancellationToken ct)
    {
        try { await api.PostJsonAsync<JsonElement>(path, body, idempotencyKey, ct); }
        catch (ConflictException) { }
    }
}
