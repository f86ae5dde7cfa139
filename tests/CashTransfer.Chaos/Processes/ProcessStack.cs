using System.Collections.Concurrent;
using System.Text.Json;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Fabric.Network.Configuration;

namespace CashTransfer.Chaos.Processes;

/// <summary>
/// The stack as three real processes on loopback ports chosen once: the CashTransfer chaincode server (CCaaS,
/// configured by CHAINCODE_* variables), the embedded network (network/Fabric.Network.Host with <c>--data</c>; its
/// network.yaml, written here, names the peers' ports and the chaincode server's address) and the gateway service
/// (configured by environment variables: SQLite in the data folder, Fabric.Client settings files per agency and role,
/// the agency's operators and auditor). Each part can be SIGKILLed and started again on the same data.
/// </summary>
public sealed class ProcessStack : IDisposable
{
    public const string ChaincodeName = "cashtransfer";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(90);
    private static readonly string[] Roles = ["operator", "auditor", "gateway"];

    private readonly BuildOutputs _outputs = BuildOutputs.Locate();
    private readonly ConcurrentDictionary<StackPart, ChildProcess> _running = new();
    private readonly Dictionary<StackPart, (int Starts, int ErrorEntries)> _history = [];
    private readonly int _chaincodePort = FreePorts.Next();
    private readonly int _gatewayPort = FreePorts.Next();
    private readonly int[] _peerPorts;
    private DemoAgency? _agency;

    public ProcessStack(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        Directory.CreateDirectory(LogDirectory);
        var definition = NetworkDefinition.Default();
        _peerPorts = definition.Organizations.Select(_ => FreePorts.Next()).ToArray();
        for (var i = 0; i < definition.Organizations.Count; i++) definition.Organizations[i].PeerPort = _peerPorts[i];
        definition.Chaincodes.Add(new ChaincodeDefinition { Name = ChaincodeName, Address = $"127.0.0.1:{_chaincodePort}" });
        Directory.CreateDirectory(NetworkDirectory);
        File.WriteAllText(Path.Combine(NetworkDirectory, "network.yaml"), NetworkDefinitionLoader.ToYaml(definition));
        Definition = definition;
    }

    public string DataDirectory { get; }
    public string LogDirectory => Path.Combine(DataDirectory, "logs");
    public string NetworkDirectory => Path.Combine(DataDirectory, "network");
    public NetworkDefinition Definition { get; }
    public Uri GatewayUrl => new($"http://127.0.0.1:{_gatewayPort}/");
    public int ChaincodePort => _chaincodePort;
    public IReadOnlyList<int> PeerPorts => _peerPorts;

    /// <summary>The running process of a part (null while it is down).</summary>
    public ChildProcess? Process(StackPart part) => _running.GetValueOrDefault(part);

    /// <summary>Starts the chaincode server and the network (the service needs the agency first: <see cref="StartServiceAsync"/>).</summary>
    public async Task StartLedgerAsync(CancellationToken ct)
    {
        await StartAsync(StackPart.Chaincode, ct);
        await StartAsync(StackPart.Network, ct);
    }

    /// <summary>Writes the service's Fabric settings files for <paramref name="agency"/>'s clients and starts it.</summary>
    public async Task StartServiceAsync(DemoAgency agency, CancellationToken ct)
    {
        _agency = agency;
        WriteFabricSettings();
        await StartAsync(StackPart.Service, ct);
    }

    public async Task StartAsync(StackPart part, CancellationToken ct)
    {
        if (_running.ContainsKey(part)) return;
        var child = part switch
        {
            StackPart.Chaincode => ChildProcess.Start("chaincode", _outputs.ChaincodeServer, [], new Dictionary<string, string>
            {
                ["CHAINCODE_SERVER_ADDRESS"] = $"127.0.0.1:{_chaincodePort}",
                ["CHAINCODE_ID"] = $"{ChaincodeName}_1.0",
                ["CHAINCODE_TLS_DISABLED"] = "true",
            }, DataDirectory, Log("chaincode")),
            StackPart.Network => ChildProcess.Start("network", _outputs.NetworkHost, ["--data", NetworkDirectory], new Dictionary<string, string>(),
                DataDirectory, Log("network")),
            StackPart.Service => ChildProcess.Start("service", _outputs.GatewayService, [], ServiceEnvironment(),
                Path.GetDirectoryName(_outputs.GatewayService)!, Log("service")),
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
        _running[part] = child;
        lock (_history)
        {
            var (starts, errors) = _history.GetValueOrDefault(part);
            _history[part] = (starts + 1, errors);
        }
        await WaitReadyAsync(part, child, ct);
    }

    /// <summary>SIGKILLs a part's process group; its error entries are kept in the totals.</summary>
    public void Kill(StackPart part)
    {
        if (!_running.TryRemove(part, out var child)) return;
        child.Kill();
        lock (_history)
        {
            var (starts, errors) = _history[part];
            _history[part] = (starts, errors + child.ErrorEntries);
        }
        child.Dispose();
    }

    /// <summary>Error log entries of a part over all its runs so far.</summary>
    public int ErrorEntries(StackPart part)
    {
        lock (_history) return _history.GetValueOrDefault(part).ErrorEntries + (_running.GetValueOrDefault(part)?.ErrorEntries ?? 0);
    }

    public int Starts(StackPart part)
    {
        lock (_history) return _history.GetValueOrDefault(part).Starts;
    }

    /// <summary>The first error entries each running part logged.</summary>
    public IReadOnlyDictionary<StackPart, IReadOnlyList<string>> ErrorSamples() => _running.ToDictionary(p => p.Key, p => p.Value.ErrorSamples);

    /// <summary>Parts that exited although nobody killed them: they crashed.</summary>
    public IReadOnlyList<string> Crashed() =>
        _running.Where(p => p.Value.HasExited).Select(p => $"{p.Value.Name} (pid {p.Value.Pid}) exited by itself with code {p.Value.ExitCode}").ToList();

    private string Log(string name) => Path.Combine(LogDirectory, name + ".log");

    private async Task WaitReadyAsync(StackPart part, ChildProcess child, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + StartWait;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (child.HasExited) throw new InvalidOperationException($"{child.Name} exited with code {child.ExitCode} while starting; see {Log(child.Name)}.");
            var ready = part switch
            {
                StackPart.Chaincode => await FreePorts.IsListeningAsync(_chaincodePort, ct),
                StackPart.Network => await AllListeningAsync(_peerPorts, ct) && File.Exists(Path.Combine(NetworkDirectory, "connection.json")),
                _ => await CashTransferClient.IsServingAsync(GatewayUrl, ct),
            };
            if (ready) return;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"{child.Name} was not ready within {StartWait.TotalSeconds} s; see {Log(child.Name)}.");
            await Task.Delay(200, ct);
        }
    }

    private static async Task<bool> AllListeningAsync(IEnumerable<int> ports, CancellationToken ct)
    {
        foreach (var port in ports) if (!await FreePorts.IsListeningAsync(port, ct)) return false;
        return true;
    }

    private Dictionary<string, string> ServiceEnvironment()
    {
        var agency = _agency ?? throw new InvalidOperationException("The service needs the agency's clients: StartServiceAsync first.");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = GatewayUrl.GetLeftPart(UriPartial.Authority),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["CashTransfer__DataDirectory"] = Path.Combine(DataDirectory, "gateway"),
            ["CashTransfer__AgencyMsp"] = agency.GatewayAgencyMsp,
            ["CashTransfer__Storage__Provider"] = "Sqlite",
            // Short leases and waits, so that work a killed service held comes back within a round.
            ["CashTransfer__Submitter__Lease"] = "00:00:15",
            ["CashTransfer__Submitter__CommitWait"] = "00:00:15",
            ["CashTransfer__Ledger__Provider"] = "Fabric",
            ["CashTransfer__Ledger__Channel"] = Definition.Channel,
            ["CashTransfer__Ledger__Chaincode"] = ChaincodeName,
        };
        var index = 0;
        foreach (var org in Definition.Organizations)
            foreach (var role in Roles)
            {
                environment[$"CashTransfer__Ledger__Identities__{index}__AgencyMsp"] = org.MspId;
                environment[$"CashTransfer__Ledger__Identities__{index}__Role"] = role;
                environment[$"CashTransfer__Ledger__Identities__{index}__SettingsFile"] = SettingsFile(org.MspId, role);
                index++;
            }
        for (var i = 0; i < agency.Clients.Count; i++)
        {
            var client = agency.Clients[i];
            environment[$"CashTransfer__Clients__{i}__KeyId"] = client.KeyId;
            environment[$"CashTransfer__Clients__{i}__Role"] = client.Role.ToString();
            environment[$"CashTransfer__Clients__{i}__AgencyMsp"] = client.AgencyMsp;
            environment[$"CashTransfer__Clients__{i}__PublicKeyPem"] = DemoAgency.PublicKeyPem(DataDirectory, client.KeyFile);
        }
        return environment;
    }

    /// <summary>The Fabric.Client settings file of an agency's role (written when the service first starts).</summary>
    public string SettingsFile(string mspId, string role) => Path.Combine(DataDirectory, "fabric", $"{mspId}-{role}.json");

    /// <summary>One Fabric.Client settings file per agency and role, from the network's connection summary and cryptogen layout.</summary>
    private void WriteFabricSettings()
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(NetworkDirectory, "connection.json")));
        Directory.CreateDirectory(Path.Combine(DataDirectory, "fabric"));
        foreach (var peer in summary.RootElement.GetProperty("peers").EnumerateArray())
        {
            var mspId = peer.GetProperty("mspId").GetString()!;
            var domain = Definition.Organizations.Single(o => o.MspId == mspId).Domain;
            var users = Path.Combine(NetworkDirectory, "crypto", "peerOrganizations", domain, "users");
            foreach (var role in Roles)
            {
                var user = char.ToUpperInvariant(role[0]) + role[1..];
                var settings = new
                {
                    peerEndpoint = $"https://{peer.GetProperty("address").GetString()}",
                    tlsCaCertPath = peer.GetProperty("tlsRootCertFile").GetString(),
                    serverNameOverride = peer.GetProperty("serverNameOverride").GetString(),
                    mspId,
                    mspPath = Path.Combine(users, $"{user}@{domain}", "msp"),
                };
                File.WriteAllText(SettingsFile(mspId, role), JsonSerializer.Serialize(settings));
            }
        }
    }

    public void Dispose()
    {
        foreach (var part in _running.Keys.ToList()) Kill(part);
        ProcessRegistry.KillAll();
    }
}
