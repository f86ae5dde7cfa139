using System.CommandLine;
using CashTransfer.Cli.Commands;
using CashTransfer.Cli.Profiles;
using Spectre.Console;

namespace CashTransfer.Cli.Tests;

/// <summary><c>--help</c>: a listing of subcommands shows each one's summary; a command's own help ends with its example.</summary>
public sealed class HelpTests
{
    private static string Help(params string[] args)
    {
        var output = new StringWriter();
        var cli = new CliContext(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), TextWriter.Null, TextWriter.Null,
            new ProfileStore(Path.Combine(Path.GetTempPath(), "cashtransfer-help-" + Guid.NewGuid().ToString("N"))));
        Assert.Equal(0, CliApp.Build(cli).Parse([.. args, "--help"]).Invoke(new InvocationConfiguration { Output = output }));
        return output.ToString();
    }

    [Fact]
    public void Listings_show_summaries_and_a_command_s_own_help_its_example()
    {
        var root = Help();
        Assert.DoesNotContain("Example:", root);
        Assert.Contains("Settle what your agency owes a retailer for redemptions up to the cut-off.", root.ReplaceLineEndings(" ").Replace("  ", " ").Replace("  ", " "));
        var programmes = Help("programmes");
        Assert.DoesNotContain("Example:", programmes);
        Assert.Contains("list", programmes);

        var list = Help("programmes", "list");
        Assert.Contains("Example:", list);
        Assert.Contains("cashtransfer programmes list", list);
        // The listing's descriptions are restored afterwards: the same tree still shows the examples in their own help.
        Assert.Contains("Example:", Help("settle"));
    }

    [Fact]
    public void Help_does_not_print_a_date_computed_when_help_ran()
    {
        // --valid-from defaults to the moment the command runs; help once printed the moment help ran, in the
        // machine's culture (12/6/2026 11:58:00 PM), which reads as a fixed default.
        var create = Help("programmes", "create").ReplaceLineEndings(" ");

        Assert.Contains("--valid-from", create);
        Assert.Contains("default now", create);
        Assert.DoesNotMatch(@"\[default: [^\]]*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", create);
    }
}
