namespace CashTransfer.Chaos.Processes;

/// <summary>
/// Where the parts of the stack were built: <c>&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c> in the same
/// repository and configuration as this program (found from its own location).
/// </summary>
public sealed record BuildOutputs(string RepositoryRoot, string Configuration, string Framework)
{
    public string ChaincodeServer => Dll("chaincode/CashTransfer.Chaincode", "CashTransfer.Chaincode");
    public string NetworkHost => Dll("network/Fabric.Network.Host", "Fabric.Network.Host");
    public string GatewayService => Dll("clients/CashTransfer.Gateway", "CashTransfer.Gateway");

    public static BuildOutputs Locate()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent?.Name ?? "Release";
        for (var dir = baseDirectory; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln"))) return new BuildOutputs(dir.FullName, configuration, framework);
        throw new InvalidOperationException($"No CashTransfer.sln above {baseDirectory.FullName}: run from the repository's build output.");
    }

    private string Dll(string project, string name)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, Framework, name + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first (make build).", path);
    }
}
