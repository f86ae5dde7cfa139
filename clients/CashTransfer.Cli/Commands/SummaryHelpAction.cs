using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CashTransfer.Cli.Commands;

/// <summary>
/// <c>--help</c> as System.CommandLine writes it, except that a command's subcommands are listed by the first paragraph
/// of their description only: their examples belong to their own help, and in the listing they wrapped into a narrow
/// column that an 80-column terminal made hard to read.
/// </summary>
public sealed class SummaryHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    private const string ParagraphBreak = "\n\n";

    public override bool ClearsParseErrors => true;

    /// <summary>Makes every <c>--help</c> of <paramref name="root"/> list subcommands by their summary.</summary>
    public static void Apply(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
            if (help.Action is HelpAction standard) help.Action = new SummaryHelpAction(standard);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var listed = parseResult.CommandResult.Command.Subcommands.Select(c => (Command: c, c.Description)).ToList();
        foreach (var (command, description) in listed) command.Description = Summary(description);
        try
        {
            return standard.Invoke(parseResult);
        }
        finally
        {
            foreach (var (command, description) in listed) command.Description = description;
        }
    }

    private static string? Summary(string? description)
    {
        var end = description?.IndexOf(ParagraphBreak, StringComparison.Ordinal) ?? -1;
        return end < 0 ? description : description![..end];
    }
}
