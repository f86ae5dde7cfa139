extern alias chaincode;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CashTransfer.Api.Signing;
using CashTransfer.Api.Client;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Fabric.Shim.Handler;
using Fabric.Shim.Server;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway service as a real process (`dotnet CashTransfer.Gateway.dll`), configured by environment variables, so
/// that fault tests can SIGKILL it mid-work and start it again on the same data. Its output goes to
/// <c>&lt;DataDirectory&gt;.log</c>.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private GatewayProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static GatewayProcess Start(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var chosen = port ?? FreePort();
        var testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar); // .../tests/CashTransfer.Gateway.Tests/bin/<Configuration>/net10.0
        var configuration = new DirectoryInfo(testBin).Parent!.Name;
        var root = new DirectoryInfo(testBin);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CashTransfer.sln"))) root = root.Parent;
        var serviceBin = Path.Combine(root!.FullName, "clients", "CashTransfer.Gateway", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(serviceBin, "CashTransfer.Gateway.dll"), "--urls", $"http://127.0.0.1:{chosen}"])
        {
            WorkingDirectory = serviceBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = System.Diagnostics.Process.Start(start)!;
        var log = environment["CashTransfer__DataDirectory"] + ".log";
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) File.AppendAllText(log, e.Data + "\n"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) File.AppendAllText(log, e.Data + "\n"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new GatewayProcess(process, chosen);
    }

    /// <summary>SIGKILL: no graceful stop; claims, leases and in-flight transactions are left behind.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        await Requests.EventuallyAsync(async () =>
        {
            Assert.False(Process.HasExited, "the service process exited");
            try { return (await http.GetAsync("ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "the service is ready", 60000);
    }

    public HttpClient Client(string keyId, TestKey key) =>
        new(new SigningHandler(keyId, key.Signer) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Settings for a service of agency WFPMSP on the embedded network: data under <paramref name="data"/>/gateway,
    /// operator <c>operator/wfp</c> and auditor <c>auditor/wfp</c>, and one Fabric.Client settings file per role.
    /// </summary>
    public static Dictionary<string, string> FabricEnvironment(EmbeddedNetwork network, string data, TestKey operatorKey, TestKey auditorKey, string gatewayFolder = "gateway")
    {
        var env = new Dictionary<string, string>
        {
            ["CashTransfer__DataDirectory"] = Path.Combine(data, gatewayFolder),
            ["CashTransfer__AgencyMsp"] = "WFPMSP",
            ["CashTransfer__Ledger__Provider"] = "Fabric",
            ["CashTransfer__Ledger__Channel"] = network.ChannelName,
            ["CashTransfer__Ledger__Chaincode"] = "cashtransfer",
            ["CashTransfer__Clients__0__KeyId"] = "operator/wfp",
            ["CashTransfer__Clients__0__Role"] = "Operator",
            ["CashTransfer__Clients__0__AgencyMsp"] = "WFPMSP",
            ["CashTransfer__Clients__0__PublicKeyPem"] = operatorKey.PublicKeyPem,
            ["CashTransfer__Clients__1__KeyId"] = "auditor/wfp",
            ["CashTransfer__Clients__1__Role"] = "Auditor",
            ["CashTransfer__Clients__1__AgencyMsp"] = "WFPMSP",
            ["CashTransfer__Clients__1__PublicKeyPem"] = auditorKey.PublicKeyPem,
            ["Logging__LogLevel__Default"] = Environment.GetEnvironmentVariable("CASHTRANSFER_CRASH_LOG_LEVEL") ?? "Warning",
        };
        var peer = network.Peers.Single(p => p.MspId == "WFPMSP");
        int i = 0;
        foreach (var role in new[] { "operator", "auditor", "gateway" })
        {
            var user = network.Crypto.PeerOrganization("WFPMSP").UserNamed(char.ToUpperInvariant(role[0]) + role[1..]);
            var file = Path.Combine(data, $"fabric-{role}.json");
            File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(new
            {
                peerEndpoint = peer.Uri.ToString(), tlsCaCertPath = peer.TlsRootCertFile, serverNameOverride = peer.ServerNameOverride,
                mspId = "WFPMSP", certificatePath = user.SignCertificateFile, privateKeyPath = user.PrivateKeyFile, channel = network.ChannelName,
            }));
            env[$"CashTransfer__Ledger__Identities__{i}__AgencyMsp"] = "WFPMSP";
            env[$"CashTransfer__Ledger__Identities__{i}__Role"] = role;
            env[$"CashTransfer__Ledger__Identities__{i}__SettingsFile"] = file;
            i++;
        }
        return env;
    }

    /// <summary>The real contract behind a chaincode server, and the embedded network that calls it.</summary>
    public static async Task<(ChaincodeServer Chaincode, EmbeddedNetwork Network)> StartNetworkAsync(string data, IChaincode? chaincode = null)
    {
        var server = await ChaincodeServer.StartAsync(new ChaincodeServerOptions { Address = "127.0.0.1:0", ChaincodeId = "cashtransfer_1.0", TlsDisabled = true },
            chaincode ?? new Fabric.Shim.Contracts.ContractRouter(chaincode::CashTransfer.Chaincode.CashTransferContracts.All()));
        var definition = NetworkDefinition.Default();
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = "cashtransfer", Address = $"127.0.0.1:{server.Port}" });
        var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = Path.Combine(data, "network"), Definition = definition });
        return (server, network);
    }
}
