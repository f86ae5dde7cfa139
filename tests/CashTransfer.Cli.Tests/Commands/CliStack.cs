using CashTransfer.Cli.Commands;
using CashTransfer.Cli.Profiles;
using CashTransfer.Cli.Serving;
using CashTransfer.Api.Client;
using Spectre.Console;
using Xunit;

namespace CashTransfer.Cli.Tests.Commands;

/// <summary>
/// The real local stack (chaincode, embedded three-agency network, gateway service on a free loopback port), seeded
/// with the demo agency set, and the demo profiles in a folder of the test's own. Shared by the CLI command tests.
/// </summary>
public sealed class CliStack : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("cashtransfer-cli-").FullName;
    private ServedStack? _stack;

    public string ConfigFolder => Path.Combine(_data, "config");
    public ServedStack Stack => _stack!;

    public async Task InitializeAsync()
    {
        var quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
        _stack = await ServedStack.StartAsync(_data, new Uri("http://127.0.0.1:0/"), quiet, CancellationToken.None);
        DemoProfiles.Write(new ProfileStore(ConfigFolder), _stack.Agency, _data, _stack.Gateway.BaseAddress);
    }

    /// <summary>Runs <c>cashtransfer args</c> in this process, as a script would (no terminal), and returns what it wrote.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunIn(ConfigFolder, args);

    public static async Task<CliRun> RunIn(string configFolder, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 80;
        var cli = new CliContext(console, output, error, new ProfileStore(configFolder),
            new CashTransferClientOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(50) });
        var code = await CliApp.Build(cli).Parse(args).InvokeAsync();
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null) await _stack.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}

/// <summary>What one command did: its exit code, its standard output and its error output.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Output}\n--- err ---\n{Error}";
}
