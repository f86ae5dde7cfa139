using CashTransfer.Chaos.Processes;

namespace CashTransfer.Chaos;

/// <summary>A run's temporary data folder: deleted after a passing run, kept (and named) after a failing one.</summary>
public static class RunFolder
{
    public static string Create(string name) =>
        Directory.CreateTempSubdirectory($"cashtransfer-{name}-").FullName;

    /// <returns>The process exit code: 0 when <paramref name="run"/> passed.</returns>
    public static async Task<int> RunAsync(string name, bool keep, Func<string, Task<bool>> run)
    {
        var data = Create(name);
        var passed = false;
        try
        {
            passed = await run(data);
            return passed ? 0 : 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{name} stopped: {e}");
            return 2;
        }
        finally
        {
            ProcessRegistry.KillAll();
            if (passed && !keep) Directory.Delete(data, recursive: true);
            else Console.WriteLine($"Data and logs kept in {data}");
        }
    }
}
