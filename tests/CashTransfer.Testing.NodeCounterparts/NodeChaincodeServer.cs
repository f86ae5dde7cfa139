namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// The official Node chaincode shim (fabric-shim's CLI, <c>fabric-chaincode-node server</c>) serving a contract module as
/// chaincode-as-a-service without TLS, on a loopback port of its own.
/// </summary>
public static class NodeChaincodeServer
{
    /// <summary>Starts the server and waits until it listens.</summary>
    /// <param name="chaincodeId">The CCaaS chaincode id (label_hash or name_version) the peer connects with.</param>
    /// <param name="modulePath">The contract's folder (package.json + code), relative to tests/interop/node or absolute.</param>
    /// <param name="environment">More variables for the Node process, e.g. NODE_OPTIONS.</param>
    /// <example><c>await using var chaincode = await NodeChaincodeServer.StartAsync("kv_1.0", "chaincode/kv");</c></example>
    public static Task<ListeningProcess> StartAsync(string chaincodeId, string modulePath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = InteropNodeFolder.WithPackages(OfficialNodePackages.FabricShim, OfficialNodePackages.FabricContractApi);
        var port = LoopbackPort.Free();
        var variables = new Dictionary<string, string> { ["CHAINCODE_TLS_DISABLED"] = "true", ["CORE_CHAINCODE_LOGGING_LEVEL"] = "warning" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables[name] = value;
        var start = NodeScript.StartInfo(Path.Combine("node_modules", OfficialNodePackages.FabricShim, "cli.js"),
            ["server", "--chaincode-address", $"127.0.0.1:{port}", "--chaincode-id", chaincodeId, "--module-path", Path.Combine(folder, modulePath)],
            variables);
        return ListeningProcess.StartAsync(start, port, TimeSpan.FromSeconds(60));
    }
}
