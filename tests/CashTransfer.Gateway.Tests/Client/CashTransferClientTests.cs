using System.Net;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Xunit;

namespace CashTransfer.Gateway.Tests.Client;

/// <summary>
/// The client library's own promises, against a scripted HTTP answerer: a retry keeps the Idempotency-Key and signs
/// afresh; problem details become the matching exception with advice; no answer at all becomes ServiceUnreachable;
/// lists follow bookmarks to the end. (Against the real service, the CLI tests use it end to end.)
/// </summary>
public sealed class CashTransferClientTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private sealed class Scripted(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request);
            return Task.FromResult(answers[Math.Min(Seen.Count - 1, answers.Length - 1)](request));
        }
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json, string media = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, media) };

    private CashTransferClient Client(HttpMessageHandler handler, int retries = 2) =>
        CashTransferClient.Connect(new Uri("http://service.test/"), "operator/test", new P256Signer(_key),
            new CashTransferClientOptions { MaxRetryAttempts = retries, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) }, handler);

    [Fact]
    public async Task A_retried_post_keeps_its_idempotency_key_and_each_attempt_is_signed_over_it()
    {
        var handler = new Scripted(
            _ => Answer(HttpStatusCode.ServiceUnavailable, """{"type":"urn:cashtransfer:problem:ledger-unavailable","title":"Ledger unavailable","detail":"later"}""", "application/problem+json"),
            _ => Answer(HttpStatusCode.OK, """{"terminalId":"T-1","retailerId":"R-1","publicKeyPem":"k","keyVersion":1,"status":"Suspended","registeredBy":"WFPMSP"}"""));
        using var client = Client(handler);
        var terminal = await client.Operator.SuspendTerminalAsync("T-1");
        Assert.Equal("Suspended", terminal.Status);
        Assert.Equal(2, handler.Seen.Count);
        var keys = handler.Seen.Select(r => r.Headers.GetValues(RequestSignature.IdempotencyKeyHeader).Single()).ToList();
        Assert.Equal(keys[0], keys[1]);
        foreach (var request in handler.Seen)
        {
            var canonical = RequestSignature.CanonicalBytes("POST", "/api/operator/terminals/T-1/suspend",
                long.Parse(request.Headers.GetValues(RequestSignature.TimestampHeader).Single()), keys[0], SHA256.HashData("null"u8));
            Assert.True(Fabric.Ecdsa.EcdsaSignatures.Verify(_key, canonical, Convert.FromBase64String(request.Headers.GetValues(RequestSignature.SignatureHeader).Single())));
        }
    }

    [Fact]
    public async Task Problem_details_become_the_matching_exception_with_advice_and_are_not_retried()
    {
        var handler = new Scripted(_ => Answer(HttpStatusCode.NotFound,
            """{"type":"urn:cashtransfer:problem:ledger-not-found","title":"Not on the ledger","detail":"programme P-9 does not exist","status":404}""", "application/problem+json"));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<NotFoundException>(() => client.Operator.GetProgrammeAsync("P-9"));
        Assert.Equal("urn:cashtransfer:problem:ledger-not-found", e.ProblemType);
        Assert.Contains("P-9 does not exist", e.Message);
        Assert.Contains("Check the id", e.Advice);
        Assert.Single(handler.Seen);
    }

    [Fact]
    public async Task Unavailable_after_the_retries_is_a_transient_service_unavailable()
    {
        var handler = new Scripted(_ => Answer(HttpStatusCode.ServiceUnavailable, """{"title":"Ledger unavailable","detail":"down"}"""));
        using var client = Client(handler, retries: 2);
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => client.Audit.GetSettlementAsync("S-1"));
        Assert.True(e.IsTransient);
        Assert.Equal(3, handler.Seen.Count);
    }

    [Fact]
    public async Task No_answer_at_all_is_service_unreachable_naming_the_address()
    {
        var handler = new Scripted(_ => throw new HttpRequestException("Connection refused"));
        using var client = Client(handler, retries: 1);
        var e = await Assert.ThrowsAsync<ServiceUnreachableException>(() => client.Audit.GetRedemptionAsync("r-1"));
        Assert.Contains("http://service.test/", e.Message);
        Assert.Equal(2, handler.Seen.Count);
    }

    [Fact]
    public async Task Lists_follow_bookmarks_until_the_last_page()
    {
        var handler = new Scripted(r => r.RequestUri!.Query.Contains("bookmark=&") || r.RequestUri.Query.EndsWith("bookmark=", StringComparison.Ordinal)
            ? Answer(HttpStatusCode.OK, """{"items":[{"retailerId":"R","agencyMsp":"A","redemptionId":"r1","amount":{"minor":5,"currency":"JOD"}}],"bookmark":"b2"}""")
            : Answer(HttpStatusCode.OK, """{"items":[{"retailerId":"R","agencyMsp":"A","redemptionId":"r2","amount":{"minor":7,"currency":"JOD"}}],"bookmark":""}"""));
        using var client = Client(handler);
        var payables = await client.Audit.ListPayablesAsync("R").ToListAsync();
        Assert.Equal(["r1", "r2"], payables.Select(p => p.RedemptionId));
        Assert.Contains("bookmark=b2", handler.Seen[1].RequestUri!.Query);
    }

    public void Dispose() => _key.Dispose();
}
