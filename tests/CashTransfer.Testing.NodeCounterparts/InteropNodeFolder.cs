namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// tests/interop/node: the Node scripts that drive the official packages, and their node_modules. A missing package
/// is an error saying to run <c>make deps</c>, never a reason to skip.
/// </summary>
public static class InteropNodeFolder
{
    /// <summary>The folder, whether or not its packages are installed.</summary>
    public static string Path => System.IO.Path.Combine(RepositoryRoot.Path, "tests", "interop", "node");

    /// <summary>The folder, after checking that each of <paramref name="packages"/> is installed in its node_modules.</summary>
    /// <example><c>InteropNodeFolder.WithPackages(OfficialNodePackages.FabricShim)</c></example>
    public static string WithPackages(params string[] packages)
    {
        var folder = Path;
        foreach (var package in packages)
            if (!File.Exists(System.IO.Path.Combine(folder, "node_modules", package, "package.json")))
                throw new InvalidOperationException($"{folder}/node_modules/{package} is missing: run `make deps` (npm ci in tests/interop/node) first.");
        return folder;
    }
}
