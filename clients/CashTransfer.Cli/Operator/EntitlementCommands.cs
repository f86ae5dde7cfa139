using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Api;
using CashTransfer.Cli.Commands;
using Spectre.Console;

namespace CashTransfer.Cli.Operator;

/// <summary><c>cashtransfer entitlements ...</c>: bulk upload with progress and a results file; top-up, revocation, reclaim of expired balances.</summary>
public static class EntitlementCommands
{
    public static Command Build(CliContext cli)
    {
        var entitlements = new Command("entitlements", "Beneficiaries' entitlements in your agency's programmes (operator).");
        entitlements.Subcommands.Add(Upload(cli));
        entitlements.Subcommands.Add(TopUp(cli));
        entitlements.Subcommands.Add(Revoke(cli));
        entitlements.Subcommands.Add(Reclaim(cli));
        return entitlements;
    }

    private static Argument<string> Programme() => new("programme-id") { Description = "The programme's id." };
    private static Argument<string> Cycle() => new("cycle") { Description = "The distribution cycle, e.g. 2026-03." };
    private static Argument<string> Beneficiary() => new("beneficiary-hash") { Description = "The beneficiary's keyed hash (64 hex characters; never personal data)." };

    private static Command Upload(CliContext cli)
    {
        var programme = Programme();
        var cycle = Cycle();
        var file = new Argument<FileInfo>("csv-file") { Description = "CSV with the header beneficiaryHash,amountMinor; up to 1,000,000 rows." };
        var results = new Option<FileInfo?>("--results") { Description = "Where to write the per-row results (CSV row,outcome,message); default: beside the input, .results.csv." };
        var command = ApiCommand.Create("upload",
            "Issue a cycle's entitlements from a CSV file, following the job with a progress bar, and write the per-row results. " +
            "Running it again with the same file replays the same job (the Idempotency-Key is the file's hash).",
            "cashtransfer entitlements upload wfp-food-2026 2026-03 cycle-march.csv --results march-results.csv", programme, cycle, file, results);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists) throw new FileNotFoundException($"No CSV file at {input.FullName}.");
            var (programmeId, cycleId) = (parse.GetValue(programme)!, parse.GetValue(cycle)!);
            var key = await IdempotencyKeyAsync(programmeId, cycleId, input, ct);
            var accepted = await client.Operator.UploadEntitlementsAsync(programmeId, cycleId, () => input.OpenRead(), key, ct);
            var job = await UploadProgress.FollowAsync(cli, client, accepted, ct);
            var resultsFile = parse.GetValue(results) ?? new FileInfo(Path.ChangeExtension(input.FullName, ".results.csv"));
            if (job.Status == "completed")
                await using (var output = resultsFile.Create())
                    await client.Operator.DownloadUploadResultsAsync(job.JobId, output, ct);
            cli.Write(parse, job, console =>
            {
                console.Write(CliContext.Fields($"Upload {job.JobId}",
                    ("programme / cycle", $"{job.ProgrammeId} / {job.Cycle}"),
                    ("status", job.Status + (job.Error is null ? "" : $": {job.Error}")),
                    ("rows", job.TotalRows.ToString("N0", CultureInfo.InvariantCulture)),
                    ("issued", job.IssuedRows.ToString("N0", CultureInfo.InvariantCulture)),
                    ("not issued", job.FailedRows.ToString("N0", CultureInfo.InvariantCulture)),
                    ("results", job.Status == "completed" ? resultsFile.FullName : "(none)")));
                if (job.FailedRows == 1) console.MarkupLine($"[yellow]1 row was not issued[/]: the reason is in {Markup.Escape(resultsFile.FullName)}; fix it and upload that row again.");
                else if (job.FailedRows > 1) console.MarkupLine($"[yellow]{job.FailedRows:N0} rows were not issued[/]: their reasons are in {Markup.Escape(resultsFile.FullName)}; fix them and upload those rows again.");
            });
            return job.Status != "completed" ? ExitCodes.ServiceFault : job.FailedRows > 0 ? ExitCodes.RowsFailed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The same file for the same programme and cycle gets the same key: a repeated command gets the first job back.</summary>
    private static async Task<string> IdempotencyKeyAsync(string programmeId, string cycle, FileInfo file, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{programmeId}\n{cycle}\n"));
        await using var stream = file.OpenRead();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, read);
        return "upload/" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Command TopUp(CliContext cli)
    {
        var (programme, cycle, beneficiary) = (Programme(), Cycle(), Beneficiary());
        var amount = new Argument<long>("amount-minor") { Description = "How much to add, in minor units." };
        var command = ApiCommand.Create("top-up", "Add to one beneficiary's entitlement (within the programme's budget).",
            "cashtransfer entitlements top-up wfp-food-2026 2026-03 4f1c...e9 5000", programme, cycle, beneficiary, amount);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            Show(cli, parse, await client.Operator.TopUpEntitlementAsync(
                new EntitlementTopUpDto(parse.GetValue(programme)!, parse.GetValue(cycle)!, parse.GetValue(beneficiary)!, parse.GetValue(amount)), ct: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext cli)
    {
        var (programme, cycle, beneficiary) = (Programme(), Cycle(), Beneficiary());
        var reason = new Option<string>("--reason") { Description = "Ineligible, Duplicate, Deceased, Relocated, Fraud or Other.", Required = true };
        reason.AcceptOnlyFromAmong("Ineligible", "Duplicate", "Deceased", "Relocated", "Fraud", "Other");
        var command = ApiCommand.Create("revoke", "End one beneficiary's entitlement; what is left returns to the programme.",
            "cashtransfer entitlements revoke wfp-food-2026 2026-03 4f1c...e9 --reason Duplicate", programme, cycle, beneficiary, reason);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            Show(cli, parse, await client.Operator.RevokeEntitlementAsync(
                new EntitlementRevocationDto(parse.GetValue(programme)!, parse.GetValue(cycle)!, parse.GetValue(beneficiary)!, parse.GetValue(reason)!), ct: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Reclaim(CliContext cli)
    {
        var (programme, cycle) = (Programme(), Cycle());
        var command = ApiCommand.Create("reclaim-expired", "Return the balances of a cycle's expired entitlements to the programme (all of them, 10,000 per call).",
            "cashtransfer entitlements reclaim-expired wfp-food-2026 2026-03", programme, cycle);
        command.SetClientAction(cli, async (parse, client, ct) =>
        {
            var (count, total, currency) = (0L, 0L, "");
            ReclaimResultRecord result;
            do
            {
                result = await client.Operator.ReclaimExpiredAsync(new ExpiredReclaimDto(parse.GetValue(programme)!, parse.GetValue(cycle)!, 10_000), ct: ct);
                count += result.ReclaimedCount;
                total += result.ReclaimedTotal.Minor;
                currency = result.ReclaimedTotal.Currency;
            } while (result.MoreRemain);
            var sum = result with { ReclaimedCount = (int)count, ReclaimedTotal = new Contracts.Money(total, currency), MoreRemain = false };
            cli.Write(parse, sum, console => console.Write(CliContext.Fields($"Reclaimed {sum.ProgrammeId} cycle {sum.Cycle}",
                ("entitlements", count.ToString("N0", CultureInfo.InvariantCulture)), ("total (minor units)", $"{total:N0} {currency}"))));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext cli, ParseResult parse, EntitlementRecord e) => cli.Write(parse, e, console => console.Write(CliContext.Fields(
        $"Entitlement {e.ProgrammeId} / {e.Cycle}",
        ("beneficiary", e.BeneficiaryHash),
        ("status", e.Status),
        ("issued", $"{e.Issued:N0} {e.Currency}"),
        ("redeemed - reversed", $"{e.Redeemed - e.Reversed:N0} {e.Currency}"),
        ("revoked / reclaimed", $"{e.Revoked:N0} / {e.Reclaimed:N0} {e.Currency}"),
        ("balance", $"{e.Balance:N0} {e.Currency}"))));
}
