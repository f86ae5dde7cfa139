namespace CashTransfer.Issuance.Benchmarks;

/// <summary>The upload's progress: redrawn in place on a terminal, a line every 10 s when the output is a file.</summary>
internal sealed class ProgressLine(long total)
{
    private TimeSpan _lastLine = TimeSpan.Zero;

    public void Show(long processed, TimeSpan elapsed, long peakMemoryBytes)
    {
        var text = $"  {processed,9:N0} / {total:N0} rows ({100.0 * processed / total,5:F1} %), {processed / elapsed.TotalSeconds,6:F0} rows/s, " +
                   $"{elapsed.TotalSeconds,5:F0} s, service peak memory since the upload {PeakMemory.MiB(peakMemoryBytes)}";
        if (!Console.IsOutputRedirected) Console.Write("\r" + text);
        else if (elapsed - _lastLine >= TimeSpan.FromSeconds(10))
        {
            Console.WriteLine(text);
            _lastLine = elapsed;
        }
    }

    public void Done()
    {
        if (!Console.IsOutputRedirected) Console.WriteLine();
    }
}
