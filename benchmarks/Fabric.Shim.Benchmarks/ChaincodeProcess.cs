using System.Diagnostics;
using CashTransfer.Testing.NodeCounterparts;

namespace Fabric.Shim.Benchmarks;

/// <summary>
/// The two chaincode servers compared, each in its own process as chaincode-as-a-service without TLS: this program in
/// <c>chaincode</c> mode (our shim) or <c>fabric-chaincode-node server</c> (the official Node shim). Neither shares a
/// thread pool or an event loop with the network.
/// </summary>
internal static class ChaincodeProcess
{
    /// <summary>Our shim: this program again, in chaincode mode, configured like any CCaaS chaincode by CHAINCODE_* variables.</summary>
    public static Task<ListeningProcess> StartDotNetAsync(string chaincodeId)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable path is unknown.");
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(self);
        // Under `dotnet Fabric.Shim.Benchmarks.dll` the process is the dotnet host; pass the assembly to it.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ChaincodeProcess).Assembly.Location);
        start.ArgumentList.Add("chaincode");
        start.Environment["CHAINCODE_SERVER_ADDRESS"] = $"127.0.0.1:{port}";
        start.Environment["CHAINCODE_ID"] = chaincodeId;
        start.Environment["CHAINCODE_TLS_DISABLED"] = "true";
        return ListeningProcess.StartAsync(start, port, TimeSpan.FromSeconds(60));
    }

    /// <summary>The official Node shim with the Node copy of the contract (tests/interop/node/bench/shim-contract).</summary>
    /// <param name="chaincodeId">The CCaaS chaincode id.</param>
    /// <param name="noDelay">Preload bench/server-nodelay.js: TCP_NODELAY on accepted sockets (an experiment, not the official setup).</param>
    public static Task<ListeningProcess> StartNodeAsync(string chaincodeId, bool noDelay)
    {
        var preload = Path.Combine(InteropNodeFolder.Path, "bench", "server-nodelay.js");
        var environment = noDelay ? new Dictionary<string, string> { ["NODE_OPTIONS"] = $"--require \"{preload}\"" } : null;
        return NodeChaincodeServer.StartAsync(chaincodeId, Path.Combine("bench", "shim-contract"), environment);
    }
}
