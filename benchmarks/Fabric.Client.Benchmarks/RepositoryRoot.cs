namespace Fabric.Client.Benchmarks;

/// <summary>tests/interop/node of this repository (found by walking up to CashTransfer.sln), with the official Node packages installed.</summary>
internal static class RepositoryRoot
{
    public static string InteropNodeFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln")))
                {
                    var node = Path.Combine(dir.FullName, "tests", "interop", "node");
                    if (!File.Exists(Path.Combine(node, "node_modules", "@hyperledger", "fabric-gateway", "package.json")))
                        throw new InvalidOperationException($"{node}/node_modules lacks @hyperledger/fabric-gateway: run `make deps` first");
                    return node;
                }
            throw new InvalidOperationException($"No CashTransfer.sln above {AppContext.BaseDirectory}");
        }
    }
}
