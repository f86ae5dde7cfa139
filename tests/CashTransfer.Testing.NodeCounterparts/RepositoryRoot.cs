namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>The repository root: the first folder above the running program's base directory that holds CashTransfer.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The root's full path; throws <see cref="DirectoryNotFoundException"/> when no CashTransfer.sln is above the program.</summary>
    public static string Path => Located.Value;

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CashTransfer.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No folder holding CashTransfer.sln above {AppContext.BaseDirectory}, so the repository's files cannot be located.");
    }
}
