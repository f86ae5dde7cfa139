using Microsoft.Extensions.Logging;

namespace Fabric.Network.Tests.Support;

/// <summary>Appends log lines to a file (set FABRIC_NETWORK_TEST_LOG to turn it on) to diagnose failing end-to-end runs.</summary>
public sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public static ILoggerFactory? FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable("FABRIC_NETWORK_TEST_LOG");
        if (string.IsNullOrEmpty(path)) return null;
        return LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FileLoggerProvider(path)));
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(path, categoryName);

    public void Dispose() { }

    private sealed class FileLogger(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}\n";
            lock (Gate) File.AppendAllText(path, line);
        }
    }
}
