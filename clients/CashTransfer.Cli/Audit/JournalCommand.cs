using System.CommandLine;
using CashTransfer.Cli.Demo;
using CashTransfer.Pos.Journal;
using Spectre.Console;

namespace CashTransfer.Cli.Audit;

/// <summary>
/// <c>cashtransfer journal export</c> (joins the <c>journal</c> group): writes terminal journals (the POS SDK's SQLite files) as
/// <c>&lt;terminalId&gt;.ndjson</c> files for <c>cashtransfer reconcile --journals</c>: the given journal files, or
/// every demo terminal's journal of the data directory.
/// </summary>
public static class JournalCommand
{
    public static Command CreateExport()
    {
        var journals = new Option<FileInfo[]>("--journal") { Description = "A terminal's journal file (SQLite); repeat for several. Default: the demo terminals' journals.", AllowMultipleArgumentsPerToken = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory of the local stack (for the demo terminals).", DefaultValueFactory = _ => new DirectoryInfo(".data") };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the <terminalId>.ndjson files go.", DefaultValueFactory = _ => new DirectoryInfo("journals") };
        var export = new Command("export", "Export terminal journals as <terminalId>.ndjson (one signed receipt a line, in journal order).\n\nExample:\n  cashtransfer journal export --journal pos-7.db --out journals/") { journals, data, output };
        export.SetAction(async (parse, ct) =>
        {
            var console = AnsiConsole.Console;
            var paths = parse.GetValue(journals) is { Length: > 0 } given
                ? given.Select(f => f.FullName).ToList()
                : DemoAgency.TryLoad(parse.GetValue(data)!.FullName)?.Terminals.Select(t => DemoAgency.Resolve(parse.GetValue(data)!.FullName, t.JournalFile)).ToList();
            if (paths is null)
            {
                console.MarkupLine("[red]Give --journal FILE, or --data of a local stack that has demo terminals.[/]");
                return ReconcileCommand.CouldNotRun;
            }
            var written = await ExportAsync(paths, parse.GetValue(output)!.FullName, console, ct);
            return written < 0 ? ReconcileCommand.CouldNotRun : 0;
        });
        return export;
    }

    /// <summary>Exports each journal; returns how many files were written, or -1 when one could not be read.</summary>
    public static async Task<int> ExportAsync(IReadOnlyList<string> journals, string outputDirectory, IAnsiConsole console, CancellationToken ct)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = 0;
        foreach (var path in journals)
        {
            if (!File.Exists(path)) { console.MarkupLine($"[red]No journal at {Markup.Escape(path)}.[/]"); return -1; }
            var temporary = Path.Combine(outputDirectory, $".export-{Guid.NewGuid():N}.tmp");
            (string? TerminalId, long Receipts) exported;
            await using (var file = File.Create(temporary)) exported = await OfflineJournal.ExportAsync(path, file, ct);
            if (exported.TerminalId is null)
            {
                File.Delete(temporary);
                console.MarkupLine($"[grey]{Markup.Escape(path)} holds no receipt; nothing written.[/]");
                continue;
            }
            var target = Path.Combine(outputDirectory, $"{exported.TerminalId}.ndjson");
            File.Move(temporary, target, overwrite: true);
            console.MarkupLine($"{Markup.Escape(exported.TerminalId)}: {exported.Receipts:N0} receipts -> {Markup.Escape(target)}");
            written++;
        }
        return written;
    }
}
