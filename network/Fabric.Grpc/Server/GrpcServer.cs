using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabric.Grpc.Server;

/// <summary>
/// A gRPC server on Kestrel hosting one or more <see cref="GrpcServiceDefinition"/>s. Disposing it cancels
/// the calls in progress (their handlers' tokens fire) and closes the listener.
/// </summary>
/// <example><code>
/// await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0 }, services);
/// var address = new Uri($"http://127.0.0.1:{server.Port}");
/// </code></example>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GrpcRequestDispatcher dispatcher;
    private readonly CancellationTokenSource stopping;
    private readonly TimeSpan shutdownTimeout;

    private GrpcServer(WebApplication app, GrpcRequestDispatcher dispatcher, CancellationTokenSource stopping, TimeSpan shutdownTimeout, int port)
    {
        this.app = app;
        this.dispatcher = dispatcher;
        this.stopping = stopping;
        this.shutdownTimeout = shutdownTimeout;
        Port = port;
    }

    /// <summary>The port the server listens on (the one the system picked when the options said 0).</summary>
    public int Port { get; }

    public static async Task<GrpcServer> StartAsync(GrpcServerOptions options, params GrpcServiceDefinition[] services)
    {
        ArgumentNullException.ThrowIfNull(options);
        var methods = new Dictionary<string, ServerMethod>(StringComparer.Ordinal);
        foreach (var method in services.SelectMany(s => s.Methods))
            if (!methods.TryAdd(method.FullName, method))
                throw new ArgumentException($"{method.FullName} is defined by more than one service definition", nameof(services));

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, options));
        var app = builder.Build();

        var stopping = new CancellationTokenSource();
        var dispatcher = new GrpcRequestDispatcher(methods, options, stopping.Token, loggerFactory.CreateLogger<GrpcServer>());
        app.Run(dispatcher.HandleAsync);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GrpcServer(app, dispatcher, stopping, options.ShutdownTimeout, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await dispatcher.WaitForCallsAsync(shutdownTimeout).ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(shutdownTimeout))
        {
            try { await app.StopAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
