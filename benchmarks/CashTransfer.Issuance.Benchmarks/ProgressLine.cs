namespace CashTransfer.Issuance.Benchmarks;

/// <summary>The upload's progress: redrawn in place on a terminal, a line every 10 s when the output is a file.</summary>
internal sealed class ProgressLine(long total)
{
    private TimeSpan _lastLine = TimeSpan.Zero;
    private string? _unprinted;

    public void Show(long processed, TimeSpan elapsed, long peakMemoryBytes)
    {
        // Fits an 80-column terminal, where a wrapped line could not be redrawn in place.
        var text = $"  {processed,9:N0} of {total:N0} ({100.0 * processed / total,5:F1} %), {processed / elapsed.TotalSeconds,4:F0} rows/s, " +
                   $"{elapsed.TotalSeconds,3:F0} s, service peak {PeakMemory.MiB(peakMemoryBytes)}";
        if (!Console.IsOutputRedirected) Console.Write("\r" + text);
        else if (elapsed - _lastLine >= TimeSpan.FromSeconds(10))
        {
            Console.WriteLine(text);
            _lastLine = elapsed;
            _unprinted = null;
        }
        else _unprinted = text;
    }

    /// <summary>Ends the line on a terminal; in a file, prints the last state if its 10 s had not come (the 100 % line).</summary>
    public void Done()
    {
        if (!Console.IsOutputRedirected) Console.WriteLine();
        else if (_unprinted is not null) Console.WriteLine(_unprinted);
    }
}
