using System.CommandLine;
using CashTransfer.Chaos;
using CashTransfer.Chaos.Chaos;
using CashTransfer.Chaos.Fuzz;
using CashTransfer.Chaos.Processes;
using Spectre.Console;

// `make chaos` (fault suite) and `make fuzz` (fuzzers): each starts the stack as separate processes in a temporary
// folder, prints its tables and exits non-zero when it found something. --short runs the version `make test` runs.
var shortRun = new Option<bool>("--short") { Description = "the short version that `make test` runs" };
var keep = new Option<bool>("--keep-data") { Description = "keep the temporary data folder (it is always kept when the run fails)" };

var chaos = new Command("chaos", "SIGKILL the service, the network, the chaincode server and all of them while terminals sync an offline backlog; compare journals with the ledger");
var terminals = new Option<int?>("--terminals");
var receipts = new Option<int?>("--receipts");
var rounds = new Option<int?>("--rounds");
foreach (var option in new Option[] { shortRun, keep, terminals, receipts, rounds }) chaos.Options.Add(option);
chaos.SetAction(async (parse, ct) =>
{
    var options = parse.GetValue(shortRun) ? ChaosOptions.Short : ChaosOptions.Full;
    options = options with
    {
        Terminals = parse.GetValue(terminals) ?? options.Terminals,
        Receipts = parse.GetValue(receipts) ?? options.Receipts,
        Rounds = parse.GetValue(rounds) ?? options.Rounds,
    };
    return await RunFolder.RunAsync("chaos", parse.GetValue(keep), async data =>
    {
        var report = await new ChaosSuite(options, data, AnsiConsole.Console).RunAsync(ct);
        report.Print(AnsiConsole.Console);
        return report.Passed;
    });
});

var fuzz = new Command("fuzz", "mutated protobuf messages at the peers' Gateway and Deliver services and the chaincode server, mutated REST requests at the service");
var grpcCount = new Option<int?>("--grpc") { Description = "mutated protobuf messages (default 10^6, --short 10^4)" };
var restCount = new Option<int?>("--rest") { Description = "mutated REST requests (default 10^5, --short 10^3)" };
var minutes = new Option<double?>("--minutes") { Description = "stop each phase at its share of this time budget, even short of its count (the report says so)" };
var seed = new Option<int>("--seed") { Description = "random seed (the run is reproducible from it)", DefaultValueFactory = _ => 13 };
foreach (var option in new Option[] { shortRun, keep, grpcCount, restCount, seed, minutes }) fuzz.Options.Add(option);
fuzz.SetAction(async (parse, ct) =>
{
    var options = parse.GetValue(shortRun) ? FuzzOptions.Short : FuzzOptions.Full;
    options = options with
    {
        GrpcMessages = parse.GetValue(grpcCount) ?? options.GrpcMessages,
        RestRequests = parse.GetValue(restCount) ?? options.RestRequests,
        Seed = parse.GetValue(seed),
        TimeBudget = parse.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : null,
    };
    return await RunFolder.RunAsync("fuzz", parse.GetValue(keep), async data =>
    {
        var report = await new FuzzSuite(options, data, AnsiConsole.Console).RunAsync(ct);
        report.Print(AnsiConsole.Console);
        return report.Passed;
    });
});

// Tables stay readable when the output goes to a file or a pipe (make, CI logs).
if (Console.IsOutputRedirected)
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(Console.Out) });
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;

var root = new RootCommand("CashTransfer fault suite and fuzzers");
root.Subcommands.Add(chaos);
root.Subcommands.Add(fuzz);
try
{
    return await root.Parse(args).InvokeAsync();
}
finally
{
    ProcessRegistry.KillAll();
}
