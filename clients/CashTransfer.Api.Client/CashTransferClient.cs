using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using Polly;
using Polly.Retry;

namespace CashTransfer.Api.Client;

/// <summary>
/// One client's signed connection to the CashTransfer service. Every request is signed (<see cref="SigningHandler"/>);
/// every POST carries an Idempotency-Key (the caller's, or a fresh one per call) that stays the same across the
/// client's retries, so that a retried call never has a second effect; errors become <see cref="CashTransferApiException"/>s
/// with advice; list calls page through the service for the caller. The calls of each role are grouped in
/// <see cref="Operator"/>, <see cref="Audit"/> and <see cref="Pos"/>.
/// </summary>
/// <example><code>
/// using var signer = P256Signer.FromPem(File.ReadAllText("wfp-ops.key.pem"));
/// using var client = CashTransferClient.Connect(new Uri("http://127.0.0.1:5080/"), "operator/wfp-ops", signer);
/// var programme = await client.Operator.GetProgrammeAsync("wfp-food-2026");
/// var totals = await client.Audit.GetProgrammeTotalsAsync("wfp-food-2026");
/// </code></example>
public sealed class CashTransferClient : IDisposable
{
    /// <summary>The header the service sets on a stored answer given again for a repeated Idempotency-Key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private IDisposable? _ownedSigner;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <param name="signedHttp">An HttpClient whose handlers sign requests (<see cref="SigningHandler"/>) and whose BaseAddress is the service's.</param>
    /// <param name="options">Retries; the defaults suit people and scripts.</param>
    /// <param name="ownsHttp">Whether disposing this client disposes <paramref name="signedHttp"/>.</param>
    public CashTransferClient(HttpClient signedHttp, CashTransferClientOptions? options = null, bool ownsHttp = false)
    {
        _http = signedHttp;
        _ownsHttp = ownsHttp;
        var o = options ?? new CashTransferClientOptions();
        _retry = BuildRetry(o);
        BaseAddress = signedHttp.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress (the service's URL).", nameof(signedHttp));
        Operator = new OperatorClient(this);
        Audit = new AuditorClient(this);
        Pos = new TerminalClient(this);
    }

    /// <summary>
    /// Connects to the service at <paramref name="baseAddress"/> as <paramref name="keyId"/>, signing with <paramref name="signer"/>
    /// (disposed with the client when <paramref name="ownsSigner"/>).
    /// </summary>
    public static CashTransferClient Connect(Uri baseAddress, string keyId, IP256Signer signer, CashTransferClientOptions? options = null,
        HttpMessageHandler? innerHandler = null, bool ownsSigner = false)
    {
        var o = options ?? new CashTransferClientOptions();
        var http = new HttpClient(new SigningHandler(keyId, signer) { InnerHandler = innerHandler ?? new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/"),
            Timeout = o.AttemptTimeout,
        };
        return new CashTransferClient(http, o, ownsHttp: true) { _ownedSigner = ownsSigner ? signer as IDisposable : null };
    }

    /// <summary>The service's URL.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Agency operators' calls (<c>/api/operator</c>).</summary>
    public OperatorClient Operator { get; }

    /// <summary>Auditors' calls (<c>/api/audit</c>).</summary>
    public AuditorClient Audit { get; }

    /// <summary>POS terminals' calls (<c>/api/pos</c>).</summary>
    public TerminalClient Pos { get; }

    /// <summary>Whether a service answers its health endpoint at <paramref name="baseAddress"/> (unsigned; no retries).</summary>
    public static async Task<bool> IsServingAsync(Uri baseAddress, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync("health", ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>GETs <paramref name="path"/> (relative to the base, e.g. <c>api/audit/payables/shop-1</c>) and reads its JSON.</summary>
    public async Task<T> GetAsync<T>(string path, CancellationToken ct = default) =>
        (await SendAsync<T>(HttpMethod.Get, path, null, null, ct)).Value;

    /// <summary>POSTs <paramref name="body"/> as JSON with an Idempotency-Key (a fresh one when null) and reads the JSON answer.</summary>
    public Task<ApiResponse<T>> PostJsonAsync<T>(string path, object? body, string? idempotencyKey = null, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Post, path, () => JsonContent.Create(body, options: ApiJson.Options), idempotencyKey ?? NewIdempotencyKey(), ct);

    /// <summary>A fresh Idempotency-Key.</summary>
    public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Sends a request (the content made afresh for each attempt), retrying what got no answer or a transient status
    /// with the same Idempotency-Key; returns the answer's JSON or throws the matching <see cref="CashTransferApiException"/>.
    /// </summary>
    public async Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, Func<HttpContent>? content, string? idempotencyKey, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(method, path, content, idempotencyKey, ct);
        var replayed = response.Headers.Contains(ReplayedHeader);
        if (typeof(T) == typeof(string))
            return new ApiResponse<T>(response.StatusCode, replayed, (T)(object)await response.Content.ReadAsStringAsync(ct));
        var value = await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, ct)
            ?? throw new InvalidOperationException($"{method} {path} answered JSON null; expected a {typeof(T).Name}.");
        return new ApiResponse<T>(response.StatusCode, replayed, value);
    }

    /// <summary>Like <see cref="SendAsync{T}"/>, but hands over the successful response itself (for streams such as an export); dispose it.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, Func<HttpContent>? content, string? idempotencyKey, CancellationToken ct = default,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        HttpResponseMessage response;
        try
        {
            response = await _retry.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
                if (idempotencyKey is not null) request.Headers.Add(RequestSignature.IdempotencyKeyHeader, idempotencyKey);
                return await _http.SendAsync(request, completion, token);
            }, ct);
        }
        catch (Exception e) when (IsNoAnswer(e) && !ct.IsCancellationRequested)
        {
            throw new ServiceUnreachableException(BaseAddress, e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response) throw await ProblemOfAsync(response, ct);
    }

    /// <summary>Every item of a paged list (<c>pageSize</c> and <c>bookmark</c> query parameters), fetching page after page as the caller reads.</summary>
    public async IAsyncEnumerable<T> PagesAsync<T>(string path, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var separator = path.Contains('?') ? '&' : '?';
        var bookmark = "";
        do
        {
            var page = await GetAsync<Page<T>>($"{path}{separator}pageSize={pageSize}&bookmark={Uri.EscapeDataString(bookmark)}", ct);
            foreach (var item in page.Items) yield return item;
            bookmark = page.Bookmark;
        } while (!string.IsNullOrEmpty(bookmark));
    }

    private static bool IsNoAnswer(Exception e) => e is HttpRequestException || e is TaskCanceledException { InnerException: TimeoutException };

    private static async Task<ServiceProblemException> ProblemOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        string? type = null, title = null, detail = null;
        var extensions = new Dictionary<string, JsonElement>();
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var member in json.RootElement.EnumerateObject())
                    switch (member.Name)
                    {
                        case "type": type = member.Value.GetString(); break;
                        case "title": title = member.Value.GetString(); break;
                        case "detail": detail = member.Value.GetString(); break;
                        case "status" or "instance" or "traceId": break;
                        default: extensions[member.Name] = member.Value.Clone(); break;
                    }
        }
        catch (JsonException)
        {
            detail = text.Length > 500 ? text[..500] : text; // not problem details (e.g. a proxy's page)
        }
        return ServiceProblemException.For(response.StatusCode, type, title ?? response.ReasonPhrase ?? response.StatusCode.ToString(),
            string.IsNullOrEmpty(detail) ? "(no detail)" : detail, extensions);
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildRetry(CashTransferClientOptions o)
    {
        if (o.MaxRetryAttempts <= 0) return ResiliencePipeline<HttpResponseMessage>.Empty;
        return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException)
                .HandleResult(r => r.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests),
            MaxRetryAttempts = o.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.BaseDelay,
            MaxDelay = o.MaxDelay,
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _ownedSigner?.Dispose();
    }
}
