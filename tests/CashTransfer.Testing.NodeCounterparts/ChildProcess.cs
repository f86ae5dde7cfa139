using System.ComponentModel;
using System.Diagnostics;

namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// Runs a counterpart program (node, or a benchmark's own executable in another mode) as a child process, turning "not
/// found", a non-zero exit and a hang into errors that carry what the program wrote to standard error.
/// </summary>
public static class ChildProcess
{
    /// <summary>Starts <paramref name="start"/>; a program that is not found throws <see cref="InvalidOperationException"/> naming it.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"`{start.FileName}` could not be started (is it on PATH?): {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/> to its end, writing <paramref name="input"/> to its standard input, and returns its standard
    /// output. A non-zero exit throws <see cref="InvalidOperationException"/>; a timeout kills it and throws <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan timeout, string? input = null)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var command = $"{start.FileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Start(start);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish in {timeout.TotalSeconds} s. stderr: {await errors}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
