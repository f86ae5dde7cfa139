using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Cli.Commands;
using Spectre.Console;

namespace CashTransfer.Cli.Operator;

/// <summary>
/// Follows an entitlement upload job until it ends: a live bar on a terminal; otherwise whole lines at every tenth
/// (never a half-drawn bar in a log or a pipe). Both end at 100 % once the job completed.
/// </summary>
public static class UploadProgress
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<BulkJobDto> FollowAsync(CliContext cli, CashTransferClient client, BulkJobDto job, CancellationToken ct)
    {
        var label = $"Issuing {job.ProgrammeId} cycle {job.Cycle}";
        if (cli.IsTerminal)
        {
            return await cli.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var bar = progress.AddTask(Markup.Escape(label), maxValue: 1);
                    var current = await PollAsync(client, job, j =>
                    {
                        bar.MaxValue = Math.Max(1, j.TotalRows);
                        bar.Value = j.ProcessedRows;
                    }, ct);
                    bar.Value = bar.MaxValue;
                    return current;
                });
        }
        var lastTenth = -1L;
        var ended = await PollAsync(client, job, j =>
        {
            if (j.TotalRows == 0) return;
            var tenth = j.ProcessedRows * 10 / j.TotalRows;
            if (tenth == lastTenth || (tenth == 10 && j.Status != "completed")) return;
            lastTenth = tenth;
            cli.Error.WriteLine($"{label}: {tenth * 10} % ({j.ProcessedRows:N0} of {j.TotalRows:N0} rows)");
        }, ct);
        if (lastTenth != 10 && ended.Status == "completed")
            cli.Error.WriteLine($"{label}: 100 % ({ended.TotalRows:N0} of {ended.TotalRows:N0} rows)");
        return ended;
    }

    private static async Task<BulkJobDto> PollAsync(CashTransferClient client, BulkJobDto job, Action<BulkJobDto> show, CancellationToken ct)
    {
        var current = job;
        while (true)
        {
            show(current);
            if (current.Status is "completed" or "failed") return current;
            await Task.Delay(PollInterval, ct);
            current = await client.Operator.GetUploadAsync(job.JobId, ct);
        }
    }
}
