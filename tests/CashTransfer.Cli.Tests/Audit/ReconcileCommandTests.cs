using System.Net;
using System.Net.Sockets;
using CashTransfer.Cli.Audit;
using CashTransfer.Cli.Demo;
using CashTransfer.Cli.Tests.Commands;

namespace CashTransfer.Cli.Tests.Audit;

/// <summary><c>cashtransfer reconcile</c> exits 2 with a reason when it cannot run: bad input, no key, no service.</summary>
public class ReconcileCommandTests
{
    /// <summary>Runs <c>cashtransfer reconcile args</c> with no profile set up (an empty config folder).</summary>
    private static async Task<int> Reconcile(params string[] args) => (await CliStack.RunIn(Folder(), ["reconcile", .. args])).ExitCode;

    private static string Folder()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reconcile-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public async Task A_time_that_is_not_ISO_8601_cannot_run()
    {
        Assert.Equal(ReconcileCommand.CouldNotRun, await Reconcile("--from", "last tuesday", "--to", "2026-12-01T00:00:00Z", "--data", Folder()));
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_cannot_run()
    {
        Assert.Equal(ReconcileCommand.CouldNotRun, await Reconcile("--from", "2026-12-01T00:00:00Z", "--to", "2026-11-01T00:00:00Z", "--data", Folder()));
    }

    [Fact]
    public async Task A_missing_statement_or_an_unknown_format_cannot_run()
    {
        var data = Folder();
        Assert.Equal(ReconcileCommand.CouldNotRun, await Reconcile("--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--data", data,
            "--payments", Path.Combine(data, "absent.csv")));
        Assert.Equal(ReconcileCommand.CouldNotRun, await Reconcile("--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--data", data, "--format", "pdf"));
    }

    [Fact]
    public async Task Without_a_profile_or_a_local_stack_it_cannot_run_and_a_missing_profile_is_named()
    {
        Assert.Equal(ReconcileCommand.CouldNotRun, await Reconcile("--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z"));
        var run = await CliStack.RunIn(Folder(), "reconcile", "--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--profile", "nobody");
        Assert.Equal(ReconcileCommand.CouldNotRun, run.ExitCode);
        Assert.Contains("No profile", run.Output);
    }

    [Fact]
    public async Task An_unreachable_service_cannot_run()
    {
        var data = Folder();
        DemoAgency.LoadOrCreate(data).Save(data);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on now
        Assert.Equal(ReconcileCommand.CouldNotRun, await Reconcile("--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--data", data,
            "--gateway-url", $"http://127.0.0.1:{port}/"));
    }
}
