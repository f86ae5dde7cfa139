using System.Runtime.InteropServices;
using Grpc.Core;
using Fabric.Grpc.Server;
using Fabric.Shim.Contracts;
using Fabric.Shim.Handler;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabric.Shim.Server;

/// <summary>
/// A chaincode-as-a-service server: hosts <c>/protos.Chaincode/Connect</c>, and for every peer that connects
/// runs a <see cref="ChaincodeHandler"/> on that stream. TLS and mutual TLS as the peer's connection.json asks.
/// </summary>
/// <example><code>
/// // Program.cs of a contract:
/// await ChaincodeServer.RunAsync(args, new EntitlementContract(), new RedemptionContract());
/// </code></example>
public sealed class ChaincodeServer : IAsyncDisposable
{
    private readonly GrpcServer _server;

    private ChaincodeServer(GrpcServer server) => _server = server;

    /// <summary>The port the server listens on.</summary>
    public int Port => _server.Port;

    public static async Task<ChaincodeServer> StartAsync(ChaincodeServerOptions options, IChaincode chaincode, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(chaincode);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var handlerLogger = loggerFactory.CreateLogger<ChaincodeHandler>();
        var services = new GrpcServiceDefinition().AddDuplex(ChaincodeMethods.Connect, (requests, responses, context) =>
            new ChaincodeHandler(options.ChaincodeId, chaincode, handlerLogger).RunAsync(new GrpcMessageStream(requests, responses), context.CancellationToken));

        var (address, port) = options.ParseAddress();
        var server = await GrpcServer.StartAsync(new GrpcServerOptions
        {
            Address = address,
            Port = port,
            ServerCertificate = options.LoadServerCertificate(),
            ClientCertificateRoots = options.LoadClientRoots(),
            LoggerFactory = loggerFactory,
        }, services).ConfigureAwait(false);
        return new ChaincodeServer(server);
    }

    /// <summary>
    /// The entry point of a contract program: reads CHAINCODE_* from the environment (or <c>--CHAINCODE_ID=...</c>
    /// arguments), serves the contracts until SIGTERM or Ctrl+C, and returns the process exit code
    /// (1 with a message on standard error when the configuration is unusable).
    /// </summary>
    public static Task<int> RunAsync(string[] args, params Contract[] contracts) => RunAsync(args, new ContractRouter(contracts));

    public static async Task<int> RunAsync(string[] args, IChaincode chaincode)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        // gRPC logs every refused call at Information with its stack trace, which lets any client fill the disk.
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(LogLevel.Information).AddFilter("Grpc", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning));
        var logger = loggerFactory.CreateLogger<ChaincodeServer>();
        ChaincodeServerOptions options;
        try
        {
            options = ChaincodeServerOptions.FromConfiguration(configuration);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"Chaincode server not started: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using var stop = new CancellationTokenSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

        await using var server = await StartAsync(options, chaincode, loggerFactory).ConfigureAwait(false);
        logger.LogInformation("Chaincode {ChaincodeId} listening on {Address} (port {Port}, TLS {Tls}, mutual TLS {Mtls})",
            options.ChaincodeId, options.Address, server.Port, !options.TlsDisabled, options.ClientCaCertFile is not null && !options.TlsDisabled);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Chaincode server stopping");
        }
        return 0;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
