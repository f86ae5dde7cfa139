using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabric.Grpc.Server;

/// <summary>
/// A gRPC server (Grpc.AspNetCore.Server on Kestrel) hosting one or more <see cref="GrpcServiceDefinition"/>s.
/// Disposing it cancels the calls in progress (their handlers' tokens fire) and closes the listener.
/// </summary>
/// <example><code>
/// await using var server = await GrpcServer.StartAsync(new GrpcServerOptions { Port = 0 }, services);
/// var address = new Uri($"http://127.0.0.1:{server.Port}");
/// </code></example>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private readonly TimeSpan shutdownTimeout;
    private int disposed;

    private GrpcServer(WebApplication app, CancellationTokenSource stopping, TimeSpan shutdownTimeout, int port)
    {
        this.app = app;
        this.stopping = stopping;
        this.shutdownTimeout = shutdownTimeout;
        Port = port;
    }

    /// <summary>The port the server listens on (the one the system picked when the options said 0).</summary>
    public int Port { get; }

    public static async Task<GrpcServer> StartAsync(GrpcServerOptions options, params GrpcServiceDefinition[] services)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in services.SelectMany(s => s.Methods.Keys))
            if (!names.Add(name))
                throw new ArgumentException($"{name} is defined by more than one service definition", nameof(services));

        var stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new ClientResetLogging(options.LoggerFactory ?? NullLoggerFactory.Instance));
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = options.MaxSendMessageSize;
        });
        builder.Services.AddSingleton(new HostedService(stopping.Token));
        builder.Services.AddSingleton<IServiceMethodProvider<HostedService>>(new DefinitionMethodProvider(services));
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, options));
        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<HostedService>();
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
        return new GrpcServer(app, stopping, options.ShutdownTimeout, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await stopping.CancelAsync().ConfigureAwait(false);
        await app.Services.GetRequiredService<HostedService>().WaitForCallsAsync(shutdownTimeout).ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(shutdownTimeout))
        {
            try { await app.StopAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
