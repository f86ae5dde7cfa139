using System.Collections.Concurrent;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway in memory with a <see cref="FakeLedger"/>, a SQLite database in its own data directory, one operator
/// (Org1MSP), one operator of another agency (Org2MSP) and one auditor. Background workers can be switched off so
/// that a test drives them step by step. Log lines are captured for the no-personal-data checks.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string OperatorKeyId = "operator/org1-ops";
    public const string OtherOperatorKeyId = "operator/org2-ops";
    public const string AuditorKeyId = "auditor/org1-audit";

    public GatewayFactory(string? dataDirectory = null, FakeLedger? ledger = null, bool background = true, Action<Dictionary<string, string?>>? settings = null, ILedgerGateway? ledgerPort = null,
        TimeProvider? clock = null)
    {
        Clock = clock;
        DataDirectory = dataDirectory ?? TempFolder.Create();
        Ledger = ledger ?? new FakeLedger();
        Background = background;
        Settings = settings;
        LedgerPort = ledgerPort ?? Ledger;
    }

    /// <summary>What the gateway talks to: the fake ledger unless another port (e.g. the real contract) was given.</summary>
    public ILedgerGateway LedgerPort { get; }

    /// <summary>The gateway's clock when a test sets it (clients then sign their requests with the same clock).</summary>
    public TimeProvider? Clock { get; }

    public string DataDirectory { get; }
    public FakeLedger Ledger { get; }
    public bool Background { get; }
    private Action<Dictionary<string, string?>>? Settings { get; }
    public TestKey Operator { get; } = SharedKeys.Operator;
    public TestKey OtherOperator { get; } = SharedKeys.OtherOperator;
    public TestKey Auditor { get; } = SharedKeys.Auditor;
    public ConcurrentQueue<string> LogLines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var s = new Dictionary<string, string?>
        {
            ["CashTransfer:DataDirectory"] = DataDirectory,
            ["CashTransfer:AgencyMsp"] = "Org1MSP",
            ["CashTransfer:Clients:0:KeyId"] = OperatorKeyId,
            ["CashTransfer:Clients:0:Role"] = "Operator",
            ["CashTransfer:Clients:0:AgencyMsp"] = "Org1MSP",
            ["CashTransfer:Clients:0:PublicKeyPem"] = Operator.PublicKeyPem,
            ["CashTransfer:Clients:1:KeyId"] = OtherOperatorKeyId,
            ["CashTransfer:Clients:1:Role"] = "Operator",
            ["CashTransfer:Clients:1:AgencyMsp"] = "Org2MSP",
            ["CashTransfer:Clients:1:PublicKeyPem"] = OtherOperator.PublicKeyPem,
            ["CashTransfer:Clients:2:KeyId"] = AuditorKeyId,
            ["CashTransfer:Clients:2:Role"] = "Auditor",
            ["CashTransfer:Clients:2:AgencyMsp"] = "Org1MSP",
            ["CashTransfer:Clients:2:PublicKeyPem"] = Auditor.PublicKeyPem,
            ["CashTransfer:Submitter:Enabled"] = Background.ToString(),
            ["CashTransfer:Submitter:PollInterval"] = "00:00:00.050",
            ["CashTransfer:Submitter:BaseDelay"] = "00:00:00.010",
            ["CashTransfer:Submitter:MaxDelay"] = "00:00:00.050",
            ["CashTransfer:Submitter:CommitWait"] = "00:00:01",
            ["CashTransfer:Projection:Enabled"] = Background.ToString(),
            ["CashTransfer:Projection:RestartDelay"] = "00:00:00.050",
            ["CashTransfer:Intake:MaxBatchReceipts"] = "50",
            ["CashTransfer:Intake:OnlineWait"] = "00:00:05",
            ["CashTransfer:Bulk:ChunkSize"] = "1000",
            ["CashTransfer:LogHashKey"] = "test-log-key",
        };
        Settings?.Invoke(s);
        foreach (var (k, v) in s) builder.UseSetting(k, v);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<ILedgerGateway>();
            services.AddSingleton(LedgerPort);
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(Clock);
            }
        });
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(LogLines)));
    }

    /// <summary>An HttpClient that signs its requests with the given key.</summary>
    public HttpClient Client(string keyId, TestKey key) => CreateDefaultClient(new SigningHandler(keyId, key.Signer, Clock));

    public HttpClient OperatorClient() => Client(OperatorKeyId, Operator);
    public HttpClient AuditorClient() => Client(AuditorKeyId, Auditor);
    public HttpClient TerminalClient(string terminalId, TestKey key) => Client(RequestSignature.TerminalKeyId(terminalId), key);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}

/// <summary>Keys are slow-ish to make; tests share these (each factory has its own data directory).</summary>
internal static class SharedKeys
{
    public static readonly TestKey Operator = new();
    public static readonly TestKey OtherOperator = new();
    public static readonly TestKey Auditor = new();
}

/// <summary>Keeps every formatted log line (with its structured values) for assertions.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);
    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(";", kv.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
