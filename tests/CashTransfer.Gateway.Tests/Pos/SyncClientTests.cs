using System.Net;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Journal;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Pos.Sync;

namespace CashTransfer.Gateway.Tests.Pos;

/// <summary>The POS sync client against the real gateway service (in memory, fake ledger): upload until acknowledged, fetch outcomes.</summary>
public sealed class SyncClientTests : IAsyncLifetime
{
    private readonly GatewayFactory _f = new();
    private TerminalFixture _t = null!;

    public async Task InitializeAsync() => _t = await TerminalFixture.RegisterAsync(_f);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static readonly SyncOptions Fast = new() { MaxBatchReceipts = 3, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) };

    private async Task<OfflineJournal> JournalWithSalesAsync(TestKey key, int sales)
    {
        var journal = await OfflineJournal.OpenAsync(Path.Combine(TempFolder.Create(), "journal.db"), _t.TerminalId, key.Signer);
        for (int i = 0; i < sales; i++) await journal.RecordSaleAsync(Beneficiaries.One, new Money(100, "KES"), "food");
        return journal;
    }

    [Fact]
    public async Task Offline_sales_are_uploaded_in_batches_and_their_outcomes_fetched()
    {
        await using var journal = await JournalWithSalesAsync(_t.Key, 7);
        using var http = _f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId(_t.TerminalId), _t.Key.Signer));
        var sync = new SyncClient(new CashTransferClient(http), journal, Fast);

        Assert.Equal(new SyncResult(3, 7), await sync.SyncAsync());
        Assert.Equal(7, await OutboxProbe.CountAsync(_f));
        await Requests.EventuallyAsync(async () =>
        {
            await sync.FetchOutcomesAsync();
            return (await journal.OutcomesAsync()).All(o => o.Status == "committed");
        }, "every outcome is committed in the journal");
        Assert.Equal(new SyncResult(0, 0), await sync.SyncAsync());
    }

    [Fact]
    public async Task Failed_and_lost_uploads_are_retried_with_the_same_key_until_acknowledged()
    {
        await using var journal = await JournalWithSalesAsync(_t.Key, 2);
        var flaky = new FlakyNetwork(failBeforeServer: 2, loseAnswers: 1);
        using var http = _f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId(_t.TerminalId), _t.Key.Signer), flaky);
        var sync = new SyncClient(new CashTransferClient(http), journal, Fast);

        Assert.Equal(new SyncResult(1, 2), await sync.SyncAsync());
        Assert.Equal(4, flaky.Attempts);
        Assert.Single(flaky.IdempotencyKeys.Distinct());
        Assert.Equal(2, await OutboxProbe.CountAsync(_f)); // the answer lost after the gateway stored the batch did not store it twice
        Assert.All(await journal.OutcomesAsync(), o => Assert.True(o.Acknowledged));
    }

    [Fact]
    public async Task A_refused_batch_stops_the_sync_and_stays_unacknowledged()
    {
        using var wrongKey = new TestKey(); // the journal signs with a key the gateway does not know for this terminal
        await using var journal = await JournalWithSalesAsync(wrongKey, 1);
        using var http = _f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId(_t.TerminalId), _t.Key.Signer));
        var refused = await Assert.ThrowsAsync<SyncRefusedException>(() => new SyncClient(new CashTransferClient(http), journal, Fast).SyncAsync());
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "urn:cashtransfer:problem:receipt-signature-invalid"), (refused.Status, refused.ProblemType));
        Assert.All(await journal.OutcomesAsync(), o => Assert.False(o.Acknowledged));
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
    }

    [Fact]
    public async Task An_upload_answered_in_progress_is_sent_again_with_the_same_key_until_it_is_acknowledged()
    {
        await using var journal = await JournalWithSalesAsync(_t.Key, 2);
        var busy = new InProgressFirst(times: 3);
        using var http = _f.CreateDefaultClient(new SigningHandler(RequestSignature.TerminalKeyId(_t.TerminalId), _t.Key.Signer), busy);
        var sync = new SyncClient(new CashTransferClient(http), journal, Fast);

        Assert.Equal(new SyncResult(1, 2), await sync.SyncAsync());
        Assert.Equal(4, busy.Keys.Count);
        Assert.Single(busy.Keys.Distinct());
        Assert.All(await journal.OutcomesAsync(), o => Assert.True(o.Acknowledged));
    }

    /// <summary>Answers the first uploads as the gateway does while the key's first request still runs (or its service died).</summary>
    private sealed class InProgressFirst(int times) : DelegatingHandler
    {
        public List<string> Keys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Keys.Add(request.Headers.GetValues(RequestSignature.IdempotencyKeyHeader).Single());
            if (times-- <= 0) return await base.SendAsync(request, ct);
            return new HttpResponseMessage(HttpStatusCode.Conflict)
            {
                Content = new StringContent("{\"type\":\"urn:cashtransfer:problem:idempotency-in-progress\",\"title\":\"Request in progress\",\"status\":409}",
                    System.Text.Encoding.UTF8, "application/problem+json"),
            };
        }
    }

    /// <summary>Fails the first sends before they reach the gateway, then loses answers that the gateway did give.</summary>
    private sealed class FlakyNetwork(int failBeforeServer, int loseAnswers) : DelegatingHandler
    {
        public int Attempts;
        public List<string> IdempotencyKeys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Attempts++;
            if (request.Headers.TryGetValues(RequestSignature.IdempotencyKeyHeader, out var keys)) IdempotencyKeys.Add(keys.Single());
            if (failBeforeServer-- > 0) throw new HttpRequestException("connection refused");
            var response = await base.SendAsync(request, ct);
            if (loseAnswers-- > 0)
            {
                response.Dispose();
                return new HttpResponseMessage(HttpStatusCode.BadGateway);
            }
            return response;
        }
    }
}
