using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CashTransfer.Pos.Requests;
using Fabric.Protocol.Identity;

namespace CashTransfer.Cli.Demo;

/// <summary>The gateway answered something the demo did not expect: status, and the problem details it sent.</summary>
public sealed class GatewayApiException(string what, HttpStatusCode status, string body)
    : Exception($"{what}: the gateway answered {(int)status} {status}: {body}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// One client's signed connection to the gateway service (<see cref="SigningHandler"/>), with the few calls the
/// demo makes. Every POST carries an Idempotency-Key chosen by the caller, so a retried step has no second effect.
/// </summary>
public sealed class GatewayApi : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EcdsaSigner _signer;

    public GatewayApi(Uri baseAddress, string keyId, EcdsaSigner signer)
    {
        _signer = signer;
        KeyId = keyId;
        Http = new HttpClient(new SigningHandler(keyId, signer) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    public string KeyId { get; }
    public HttpClient Http { get; }

    public static GatewayApi For(Uri baseAddress, string dataDirectory, DemoClient client) =>
        new(baseAddress, client.KeyId, DemoAgency.Signer(dataDirectory, client.KeyFile));

    public async Task<HttpResponseMessage> PostAsync(string path, HttpContent content, string idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(RequestSignature.IdempotencyKeyHeader, idempotencyKey);
        return await Http.SendAsync(request, ct);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body, string idempotencyKey, CancellationToken ct) =>
        PostAsync(path, JsonContent.Create(body, options: Json), idempotencyKey, ct);

    public async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await Http.GetAsync(path, ct);
        await EnsureAsync(response, $"GET {path}", ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    /// <summary>Throws <see cref="GatewayApiException"/> unless the status is a success.</summary>
    public static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) throw new GatewayApiException(what, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Whether a gateway answers its health endpoint at <paramref name="baseAddress"/>.</summary>
    public static async Task<bool> IsServingAsync(Uri baseAddress, CancellationToken ct)
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

    public void Dispose()
    {
        Http.Dispose();
        _signer.Dispose();
    }
}
