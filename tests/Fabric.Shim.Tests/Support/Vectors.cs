namespace Fabric.Shim.Tests.Support;

/// <summary>
/// Finds ../shared/vectors beside the repository (the folder holding CashTransfer.sln), or beside one of its
/// ancestors (a git worktree sits one level deeper than the main clone); fails loudly when it is missing.
/// </summary>
public static class Vectors
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CashTransfer.sln")))
                directory = directory.Parent;
            if (directory is null)
                throw new InvalidOperationException($"No folder containing CashTransfer.sln above {AppContext.BaseDirectory}.");
            var expected = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "vectors"));
            for (var ancestor = directory.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                var vectors = Path.Combine(ancestor.FullName, "shared", "vectors");
                if (Directory.Exists(vectors)) return vectors;
            }
            throw new InvalidOperationException($"The Fabric test vectors are missing: expected them at {expected} (../shared/vectors relative to the repository root).");
        }
    }

    public static string Chaincode(string transcript)
    {
        var folder = Path.Combine(Root, "chaincode", transcript);
        if (!Directory.Exists(folder)) throw new InvalidOperationException($"Transcript {transcript} is missing from {Path.Combine(Root, "chaincode")}.");
        return folder;
    }
}
