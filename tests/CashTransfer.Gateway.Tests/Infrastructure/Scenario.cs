using System.Net.Http.Json;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Pos.Receipts;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>Helpers that set up a registered terminal and make its receipts, the way a POS would.</summary>
public sealed class TerminalFixture(GatewayFactory factory, string terminalId, TestKey key)
{
    private long _sequence;
    private string _previous = ReceiptEncoding.GenesisHash;

    public string TerminalId { get; } = terminalId;
    public TestKey Key { get; } = key;
    public HttpClient Http { get; } = factory.TerminalClient(terminalId, key);

    /// <summary>Registers a terminal through the operator API (the fake ledger echoes the registration as the chaincode does).</summary>
    public static async Task<TerminalFixture> RegisterAsync(GatewayFactory factory, string terminalId = "T-1")
    {
        factory.Ledger.Handlers.TryAdd(ChaincodeFunctions.RegisterTerminal, (caller, args) =>
        {
            var reg = JsonSerializer.Deserialize<JsonElement>(args[0]);
            return new
            {
                terminalId = reg.GetProperty("terminalId").GetString(), retailerId = reg.GetProperty("retailerId").GetString(),
                publicKeyPem = reg.GetProperty("publicKeyPem").GetString(), keyVersion = 1, status = "Active", registeredBy = caller.AgencyMsp,
            };
        });
        var key = new TestKey();
        using var op = factory.OperatorClient();
        using var request = Requests.Post("api/operator/terminals", new { terminalId, retailerId = "R-1", publicKeyPem = key.PublicKeyPem });
        using var response = await op.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return new TerminalFixture(factory, terminalId, key);
    }

    /// <summary>The next receipt of this terminal's journal, signed and chained.</summary>
    public SignedReceipt Next(long amountMinor = 500, string currency = "KES", string? beneficiary = null)
    {
        var receipt = new Receipt(IdRules.NewRedemptionId(TerminalId), TerminalId, ++_sequence, _previous, beneficiary ?? Beneficiaries.One, new Money(amountMinor, currency), "food",
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var signed = ReceiptEncoding.Sign(receipt, Key.Signer);
        _previous = signed.Hash;
        return signed;
    }

    public List<SignedReceipt> Next(int count) => Enumerable.Range(0, count).Select(_ => Next()).ToList();

    public async Task<HttpResponseMessage> UploadAsync(IReadOnlyList<SignedReceipt> receipts, string? idempotencyKey = null, string? terminalId = null)
    {
        using var request = Requests.Post("api/pos/receipt-batches", new { terminalId = terminalId ?? TerminalId, receipts }, idempotencyKey);
        return await Http.SendAsync(request);
    }
}

public static class Beneficiaries
{
    public static readonly string One = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("beneficiary-1"u8));
    public static readonly string Two = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("beneficiary-2"u8));

    /// <summary>The <paramref name="i"/>-th of as many distinct beneficiaries as a test needs.</summary>
    public static string Numbered(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
}

public static class Requests
{
    public static HttpRequestMessage Post(string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: CashTransfer.Api.ApiJson.Options) };
        request.Headers.Add(RequestSignature.IdempotencyKeyHeader, idempotencyKey ?? Guid.NewGuid().ToString());
        return request;
    }

    public static HttpRequestMessage PostRaw(string path, string body, string contentType, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
        if (idempotencyKey != "") request.Headers.Add(RequestSignature.IdempotencyKeyHeader, idempotencyKey ?? Guid.NewGuid().ToString());
        return request;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

    /// <summary>Waits until the predicate holds (background workers), failing with the message after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> predicate, string because, int timeoutMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await predicate()) return;
            await Task.Delay(25);
        }
        Assert.Fail($"Timed out waiting until {because}.");
    }
}

/// <summary>Reads the outbox directly, to check that a refused request changed nothing.</summary>
public static class OutboxProbe
{
    public static async Task<long> CountAsync(GatewayFactory f) => (await f.Get<OutboxRepository>().CountByStatusAsync()).Values.Sum();
}
