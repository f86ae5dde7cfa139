namespace Fabric.Network.Tests.Support;

/// <summary>
/// Locates the Fabric test vectors: ../shared/vectors beside the repository root (one level further up
/// for a git worktree under a sibling folder). A missing corpus fails the test with the paths tried.
/// </summary>
public static class Vectors
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("CashTransfer.sln not found above " + AppContext.BaseDirectory);
            var tried = new List<string>();
            for (var up = dir.Parent; up is not null && tried.Count < 2; up = up.Parent)
            {
                var candidate = Path.Combine(up.FullName, "shared", "vectors");
                if (Directory.Exists(candidate)) return candidate;
                tried.Add(candidate);
            }
            throw new InvalidOperationException("The Fabric test vectors are missing: expected them at " + string.Join(" or ", tried));
        }
    }

    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

    public static Common.Block Block(string name) => Common.Block.Parser.ParseFrom(Bytes(Path.Combine("blocks", name)));
}
