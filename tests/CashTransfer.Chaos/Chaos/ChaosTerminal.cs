using System.Collections.Concurrent;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using CashTransfer.Pos.Journal;
using CashTransfer.Pos.Sync;
using Fabric.Protocol.Identity;

namespace CashTransfer.Chaos.Chaos;

/// <summary>
/// One POS terminal of the suite: its offline journal (the POS SDK's <see cref="OfflineJournal"/>) holding a backlog
/// signed with its registered key, synced through <see cref="SyncClient"/> with requests signed by its current key.
/// Sync refusals (401 while locked out or re-keyed, 409 idempotency-in-progress after a crash) are counted and retried
/// with a pause until the run's deadline: the suite reports them rather than hang.
/// </summary>
public sealed class ChaosTerminal : IAsyncDisposable
{
    private static readonly TimeSpan RefusalPause = TimeSpan.FromSeconds(1);
    private readonly string _dataDirectory;
    private readonly Uri _gateway;
    private readonly ChaosOptions _options;
    private readonly P256Signer _receiptSigner;
    private volatile string _requestKeyFile;

    private ChaosTerminal(string dataDirectory, Uri gateway, ChaosOptions options, DemoTerminalSpec spec, OfflineJournal journal, P256Signer receiptSigner)
    {
        _dataDirectory = dataDirectory;
        _gateway = gateway;
        _options = options;
        Spec = spec;
        Journal = journal;
        _receiptSigner = receiptSigner;
        _requestKeyFile = spec.KeyFile;
    }

    public DemoTerminalSpec Spec { get; }
    public string TerminalId => Spec.TerminalId;
    public OfflineJournal Journal { get; }

    /// <summary>Refusals the terminal met while syncing, by "status problem-type".</summary>
    public ConcurrentDictionary<string, int> Refusals { get; } = new();

    /// <summary>Transport failures (service down, connection reset) that outlasted the SDK's retries.</summary>
    public int TransportFailures;

    public bool Drained { get; private set; }

    public static async Task<ChaosTerminal> OpenAsync(string dataDirectory, Uri gateway, ChaosOptions options, DemoTerminalSpec spec)
    {
        var signer = DemoAgency.Signer(dataDirectory, spec.KeyFile);
        var journal = await OfflineJournal.OpenAsync(DemoAgency.Resolve(dataDirectory, spec.JournalFile), spec.TerminalId, signer);
        return new ChaosTerminal(dataDirectory, gateway, options, spec, journal, signer);
    }

    /// <summary>Records the offline backlog: valid food sales to this terminal's own beneficiaries.</summary>
    public async Task RecordBacklogAsync(int count, IReadOnlyList<string> beneficiaries, string currency, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
            await Journal.RecordSaleAsync(beneficiaries[i % beneficiaries.Count], new Money(100 + i * 37 % 900, currency), "food", ct: ct);
    }

    /// <summary>From now on, requests are signed with this key (the operator has rotated the terminal's key on the ledger).</summary>
    public void UseRequestKey(string keyFile) => _requestKeyFile = keyFile;

    /// <summary>A signed client of the gateway with the terminal's current request key.</summary>
    public CashTransferClient Api() => CashTransferClient.Connect(_gateway, RequestSignature.TerminalKeyId(TerminalId), DemoAgency.Signer(_dataDirectory, _requestKeyFile), ownsSigner: true);

    /// <summary>Syncs until every receipt is acknowledged or <paramref name="ct"/> ends the run.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var signer = DemoAgency.Signer(_dataDirectory, _requestKeyFile);
            using var http = Client(signer);
            var sync = new SyncClient(new CashTransferClient(http), Journal, new SyncOptions
            {
                MaxBatchReceipts = _options.BatchReceipts, MaxRetryAttempts = 6, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2),
            });
            try
            {
                await sync.SyncAsync(ct);
                Drained = true;
                return;
            }
            catch (SyncRefusedException e)
            {
                Refusals.AddOrUpdate($"{(int)e.Status} {e.ProblemType ?? "(no problem type)"}", 1, (_, n) => n + 1);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            // The service is down longer than the SDK's retries (a kill and restart under load): a terminal keeps trying.
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or ServiceUnreachableException or ServiceUnavailableException)
            {
                Interlocked.Increment(ref TransportFailures);
            }
            try { await Task.Delay(RefusalPause, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Fetches the outcomes of acknowledged receipts into the journal; false when the service could not answer.</summary>
    public async Task<bool> FetchOutcomesAsync(CancellationToken ct)
    {
        using var signer = DemoAgency.Signer(_dataDirectory, _requestKeyFile);
        using var http = Client(signer, paced: false);
        try
        {
            await new SyncClient(new CashTransferClient(http), Journal, new SyncOptions { MaxRetryAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1) })
                .FetchOutcomesAsync(ct);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private HttpClient Client(IP256Signer signer, bool paced = true)
    {
        HttpMessageHandler inner = new SigningHandler(RequestSignature.TerminalKeyId(TerminalId), signer) { InnerHandler = new SocketsHttpHandler() };
        if (paced) inner = new PacingHandler(_options.UploadPace) { InnerHandler = inner };
        return new HttpClient(inner) { BaseAddress = _gateway, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync();
        _receiptSigner.Dispose();
    }
}
