using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CashTransfer.Cli.Local;

namespace CashTransfer.Cli.Demo;

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
        using var wfp = GatewayApi.For(gateway, dataDirectory, agency.Operator("WFPMSP"));
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
            using var owner = GatewayApi.For(gateway, dataDirectory, agency.Operator(programme.OwnerMsp));
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
            using var owner = GatewayApi.For(gateway, dataDirectory, agency.Operator(programme.OwnerMsp));
            var csv = new StringBuilder("beneficiaryHash,amountMinor\n");
            foreach (var beneficiary in BeneficiaryHashes(agency)) csv.Append(beneficiary).Append(',').Append(programme.PerBeneficiaryMinor).Append('\n');
            using var response = await RetryUnavailableAsync(() => owner.PostAsync($"api/operator/entitlement-uploads?programmeId={programme.ProgrammeId}&cycle={cycle}",
                new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), $"entitlements/{programme.ProgrammeId}/{cycle}", ct), ct);
            await GatewayApi.EnsureAsync(response, $"upload of {programme.ProgrammeId} cycle {cycle}", ct);
            // The job id from the body: a replayed answer (same Idempotency-Key) has the stored body but no Location header.
            var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(GatewayApi.Json, ct);
            var job = $"api/operator/entitlement-uploads/{accepted.GetProperty("jobId").GetString()}";
            var deadline = DateTimeOffset.UtcNow + JobWait;
            while (true)
            {
                var status = await owner.GetAsync<JsonElement>(job, ct);
                var state = status.GetProperty("status").GetString();
                if (state == "completed")
                {
                    var failed = status.GetProperty("failedRows").GetInt64();
                    if (failed > 0) throw new InvalidOperationException($"{failed} entitlement rows of {programme.ProgrammeId} cycle {cycle} failed; see {job}/results.");
                    break;
                }
                if (state == "failed") throw new InvalidOperationException($"The upload of {programme.ProgrammeId} cycle {cycle} failed: {status.GetProperty("error")}");
                if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"The upload of {programme.ProgrammeId} cycle {cycle} did not finish within {JobWait.TotalMinutes} min.");
                await Task.Delay(250, ct);
            }
        }
    }

    private static async Task CreateAsync(GatewayApi api, string path, object body, string idempotencyKey, CancellationToken ct)
    {
        using var response = await RetryUnavailableAsync(() => api.PostJsonAsync(path, body, idempotencyKey, ct), ct);
        if (response.StatusCode == HttpStatusCode.Conflict) return; // the ledger holds it already: an earlier seed got this far
        await GatewayApi.EnsureAsync(response, $"POST {path}", ct);
    }

    /// <summary>
    /// 503 means the ledger did not answer in time and the gateway released the Idempotency-Key: the same request may be
    /// sent again. (The embedded network's first endorsement sometimes stalls; see the lead's notes.)
    /// </summary>
    private static async Task<HttpResponseMessage> RetryUnavailableAsync(Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3) return response;
            response.Dispose();
            await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
        }
    }
}
