using System.Text;
using Microsoft.Extensions.Logging;

namespace Fabric.Network.Conformance.Tests.Support;

/// <summary>Keeps the embedded network's and the chaincode server's log lines (Information and up) for failure messages.</summary>
public sealed class CollectingLoggerFactory : ILoggerFactory
{
    private readonly StringBuilder _lines = new();

    public string Text { get { lock (_lines) return _lines.ToString(); } }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class Logger(CollectingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (owner._lines) owner._lines.AppendLine($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
