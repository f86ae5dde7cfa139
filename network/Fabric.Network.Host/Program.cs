using System.CommandLine;
using Fabric.Network.Configuration;
using Fabric.Network.Hosting;
using Microsoft.Extensions.Logging;

// The embedded Fabric network as a command. `run` (the default) starts it and serves until Ctrl+C;
// `reset` deletes its ledger and crypto material.
var data = new Option<string>("--data") { Description = "data directory (crypto/, ledger/, connection.json)", DefaultValueFactory = _ => ".data/network" };
var networkFile = new Option<string?>("--network") { Description = "network file (YAML or JSON); default: <data>/network.yaml, written on first start" };
var h2c = new Option<bool>("--h2c") { Description = "serve plain-text HTTP/2 instead of TLS (development only)" };
var verbose = new Option<bool>("--verbose") { Description = "log every block and call" };

var root = new RootCommand("CashTransfer embedded network: a single-process Fabric 2.5 network of agency peers");
root.Options.Add(data);
root.Options.Add(networkFile);
root.Options.Add(h2c);
root.Options.Add(verbose);
root.SetAction(async (parse, cancellationToken) =>
{
    var dataDirectory = Path.GetFullPath(parse.GetValue(data)!);
    var definition = LoadDefinition(dataDirectory, parse.GetValue(networkFile));
    if (parse.GetValue(h2c)) definition.Tls = false;
    using var loggers = LoggerFactory.Create(b => b
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
        .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information)
        .AddFilter("Microsoft", LogLevel.Warning)
        // gRPC logs every refused call (a bad request is the client's fault) at Information with its stack trace: under
        // the protobuf fuzzer that was 0.9 GB in 16 minutes, a way for any client to fill the disk.
        .AddFilter("Grpc", parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning));
    await using var network = await EmbeddedNetwork.StartAsync(new EmbeddedNetworkOptions { DataDirectory = dataDirectory, Definition = definition, LoggerFactory = loggers });
    Console.WriteLine($"Embedded Fabric network: channel '{network.ChannelName}', {network.Peers.Count} agency peers, ledger height {network.Ledger.Height}, TLS {(definition.Tls ? "on" : "off")}");
    foreach (var peer in network.Peers)
    {
        Console.WriteLine($"  {peer.MspId,-12} {peer.Name,-28} {peer.Uri}");
        Console.WriteLine($"  {"",-12} TLS CA      {peer.TlsRootCertFile}");
        Console.WriteLine($"  {"",-12} client MSP  {network.Client(peer.MspId).MspDirectory}");
    }
    foreach (var cc in definition.Chaincodes)
        Console.WriteLine($"  chaincode {cc.Name} at {cc.Address} (CCaaS), endorsement policy {cc.EndorsementPolicy}");
    Console.WriteLine($"Connection summary: {Path.Combine(dataDirectory, "connection.json")}. Ctrl+C stops.");
    // Our own signal handlers: the web hosts inside the peers' gRPC servers register theirs too and
    // would otherwise take SIGTERM/SIGINT without this command noticing.
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
    using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
    try { await Task.Delay(Timeout.Infinite, stop.Token); }
    catch (OperationCanceledException) { }
    Console.WriteLine("Stopping.");
    return 0;
});

var reset = new Command("reset", "delete the network's ledger and crypto material (the next start creates a new channel)");
reset.Options.Add(data);
reset.SetAction(parse =>
{
    var dataDirectory = Path.GetFullPath(parse.GetValue(data)!);
    EmbeddedNetwork.Reset(dataDirectory);
    Console.WriteLine($"Reset {dataDirectory}: ledger and crypto material deleted.");
    return 0;
});
root.Subcommands.Add(reset);

try
{
    return await root.Parse(args).InvokeAsync();
}
catch (Exception e) when (e is InvalidDataException or FileNotFoundException or FormatException or IOException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

static NetworkDefinition LoadDefinition(string dataDirectory, string? file)
{
    if (file is not null) return NetworkDefinitionLoader.Load(file);
    var own = Path.Combine(dataDirectory, "network.yaml");
    if (File.Exists(own)) return NetworkDefinitionLoader.Load(own);
    var definition = NetworkDefinition.Default();
    // Fixed ports for the command, so that clients can be configured once: 7051, 7151, 7251, ...
    for (int i = 0; i < definition.Organizations.Count; i++) definition.Organizations[i].PeerPort = 7051 + 100 * i;
    Directory.CreateDirectory(dataDirectory);
    File.WriteAllText(own, NetworkDefinitionLoader.ToYaml(definition));
    return definition;
}
