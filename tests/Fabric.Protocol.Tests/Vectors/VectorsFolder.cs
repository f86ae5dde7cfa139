using CashTransfer.Testing.NodeCounterparts;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>
/// Finds the real Fabric bytes in ../shared/vectors next to the repository root (the folder holding
/// CashTransfer.sln). A git worktree nested deeper also finds it in an ancestor's shared/vectors.
/// When it is missing every test that needs it fails with this message; none passes vacuously.
/// </summary>
public static class VectorsFolder
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The vectors folder; throws with a clear message when it cannot be found.</summary>
    public static string Root => Located.Value;

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(PathOf(relative));

    private static string Locate()
    {
        var repoRoot = RepositoryRoot.Path;
        for (var dir = Directory.GetParent(repoRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "vectors");
            if (File.Exists(System.IO.Path.Combine(candidate, "index.json"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"Fabric test vectors not found: expected {System.IO.Path.GetFullPath(System.IO.Path.Combine(repoRoot, "..", "shared", "vectors"))} " +
            "(with index.json). These tests check our code against real Fabric 2.5 bytes and cannot pass without them.");
    }
}
