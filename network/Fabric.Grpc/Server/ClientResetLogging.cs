using Microsoft.Extensions.Logging;

namespace Fabric.Grpc.Server;

/// <summary>
/// The server's loggers, with one correction: Grpc.AspNetCore.Server logs a call whose request read failed because the
/// client reset the stream as "Error when executing service method" when the reset lands before the call's abort token
/// fires (it logs the same reset as a cancellation otherwise). An IOException thrown while reading the request (by
/// Kestrel's body pipe or by gRPC reading from it) is the transport ending under the call, never a server fault: such
/// entries are logged at Information. Found by the fuzzer,
/// which hangs up on server streams that it leaves open.
/// </summary>
internal sealed class ClientResetLogging(ILoggerFactory inner) : ILoggerFactory
{
    private const string CallHandlerCategory = "Grpc.AspNetCore.Server.ServerCallHandler";
    private const int ErrorExecutingServiceMethod = 6;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == CallHandlerCategory ? new Downgrading(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() { } // the caller owns the factory

    /// <summary>Where a request read fails when the client resets: Kestrel's request body pipe, or gRPC reading a message from it.</summary>
    private static readonly HashSet<string> TransportAssemblies = ["System.IO.Pipelines", "Microsoft.AspNetCore.Server.Kestrel.Core", "Grpc.AspNetCore.Server"];

    /// <summary>True for an IOException thrown reading the request (the client reset the stream or the connection broke), not by a handler.</summary>
    public static bool IsClientReset(Exception? e) =>
        e is IOException && new System.Diagnostics.StackTrace(e, fNeedFileInfo: false).GetFrames()
            .Select(frame => frame.GetMethod()?.DeclaringType?.Assembly)
            .FirstOrDefault(assembly => assembly is not null && assembly != typeof(object).Assembly)?.GetName().Name is { } name && TransportAssemblies.Contains(name);

    private sealed class Downgrading(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == ErrorExecutingServiceMethod && IsClientReset(exception)) logLevel = LogLevel.Information;
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
