using System.CommandLine;
using System.Text.Json;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Cli.Profiles;
using Spectre.Console;

namespace CashTransfer.Cli.Commands;

/// <summary>
/// What every command shares: where output goes (a console for tables and progress, plain writers for JSON and
/// errors), the profiles, the global <c>--profile</c> and <c>--json</c> options, and how to reach the service.
/// Tests make one over string writers; <see cref="ForConsole"/> is the real terminal.
/// </summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, ProfileStore profiles, CashTransferClientOptions? clientOptions = null)
{
    private static readonly JsonSerializerOptions IndentedJson = new(ApiJson.Options) { WriteIndented = true };

    public static CliContext ForConsole() => new(AnsiConsole.Console, System.Console.Out, System.Console.Error, ProfileStore.ForUser());

    public IAnsiConsole Console { get; } = console;
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public ProfileStore Profiles { get; } = profiles;

    /// <summary><c>--profile NAME</c> on every command: whom to act as (default: the default profile).</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "Profile to act as (see `cashtransfer profile list`); default: the default profile.", Recursive = true };

    /// <summary><c>--json</c> on every command: the service's answer as JSON instead of a table, for scripts.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Write the answer as JSON (for scripts) instead of a table.", Recursive = true };

    /// <summary>Whether progress can be drawn in place (a terminal); otherwise it is written as whole lines.</summary>
    public bool IsTerminal => Console.Profile.Capabilities.Interactive && Console.Profile.Capabilities.Ansi;

    /// <summary>A client of the service acting as the chosen profile; disposing it releases the key.</summary>
    public CashTransferClient Connect(ParseResult parse)
    {
        var profile = Profiles.Resolve(parse.GetValue(Profile));
        if (!File.Exists(profile.KeyFile))
            throw new ProfileException($"The key file of profile '{profile.Name}' is missing: {profile.KeyFile}. Add the profile again with the right --key-file.");
        return CashTransferClient.Connect(profile.Url, profile.KeyId, P256Signer.FromPem(File.ReadAllText(profile.KeyFile)), clientOptions, ownsSigner: true);
    }

    /// <summary>Writes <paramref name="value"/> as JSON with <c>--json</c>, else draws it with <paramref name="draw"/>.</summary>
    public void Write<T>(ParseResult parse, T value, Action<IAnsiConsole> draw)
    {
        if (parse.GetValue(Json)) Output.WriteLine(JsonSerializer.Serialize(value, IndentedJson));
        else draw(Console);
    }

    /// <summary>
    /// A borderless table whose cells do not wrap, with two spaces between columns: for lists whose first column is a
    /// long id (a redemption id is 40-odd characters), so that a row stays one line in an 80-column terminal.
    /// </summary>
    public static Table List(params string[] columns)
    {
        var table = new Table().Border(TableBorder.None).ShowHeaders();
        for (var i = 0; i < columns.Length; i++)
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(columns[i])}[/]")).NoWrap().PadLeft(0).PadRight(i == columns.Length - 1 ? 0 : 2));
        return table;
    }

    /// <summary>A two-column table of a record's fields, for <c>show</c> commands.</summary>
    public static Table Fields(string title, params (string Name, string Value)[] fields)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumns("field", "value");
        foreach (var (name, value) in fields) table.AddRow(Markup.Escape(name), Markup.Escape(value));
        return table;
    }
}
