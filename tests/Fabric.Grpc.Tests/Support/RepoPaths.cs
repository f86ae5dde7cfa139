namespace Fabric.Grpc.Tests.Support;

/// <summary>Where the repository and its Node counterparts are, found from the test's base directory.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln"))) return dir.FullName;
            throw new InvalidOperationException($"No CashTransfer.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>tests/interop/node, which must have its node_modules (the Makefile's deps target runs npm ci there).</summary>
    public static string InteropNode
    {
        get
        {
            var dir = Path.Combine(Root, "tests", "interop", "node");
            if (!File.Exists(Path.Combine(dir, "node_modules", "@grpc", "grpc-js", "package.json")))
                throw new InvalidOperationException($"{dir}/node_modules lacks @grpc/grpc-js: run `make deps` (npm ci in tests/interop/node) before the interop tests");
            return dir;
        }
    }
}
