using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Gateway.WebConsole;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// The web console's sign-in and session scheme at the HTTP level (the browser tests in CashTransfer.Console.Tests
/// go through the pages): one-time challenges, sessions with the key's role, their end, and the CSRF rule.
/// </summary>
public sealed class ConsoleSessionTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly GatewayFactory _f;

    public ConsoleSessionTests() => _f = new GatewayFactory(background: false, clock: _clock);

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task A_session_has_its_key_s_role_and_agency_and_needs_the_CSRF_token_for_changes()
    {
        using var browser = Browser();
        var session = await SignInAsync(browser, _f.Operator, await ChallengeAsync(browser));
        Assert.Equal((GatewayFactory.OperatorKeyId, "Operator", "Org1MSP"), (session.KeyId, session.Role, session.AgencyMsp));

        using (var own = await browser.GetAsync("api/operator/journal-anomalies")) Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var other = await browser.GetAsync("api/audit/outbox")) Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        using var withoutToken = await browser.SendAsync(Change("api/operator/retailers", csrf: null));
        Assert.Equal(HttpStatusCode.Forbidden, withoutToken.StatusCode);
        Assert.Equal("urn:cashtransfer:problem:csrf-token-invalid", (await withoutToken.JsonAsync()).GetProperty("type").GetString());
        Assert.Equal(0, _f.Ledger.Count("endorse"));
        _f.Ledger.Handlers[ChaincodeFunctions.RegisterRetailer] = (_, _) => new { retailerId = "shop-1", registeredBy = "Org1MSP", categories = new[] { "food" }, status = "Active" };
        using var withToken = await browser.SendAsync(Change("api/operator/retailers", session.CsrfToken));
        Assert.Equal(HttpStatusCode.Created, withToken.StatusCode);
        // The ledger was called with the same Fabric identity a signed request of this key gets.
        Assert.Equal(LedgerCaller.For(ClientRole.Operator, "Org1MSP"), _f.Ledger.Calls.Single(c => c.Step == "endorse").Caller);
    }

    [Fact]
    public async Task A_challenge_is_answered_once_and_only_while_fresh()
    {
        using var browser = Browser();
        var challenge = await ChallengeAsync(browser);
        await SignInAsync(browser, _f.Operator, challenge);
        using (var replay = await PostSignInAsync(browser, _f.Operator, challenge)) await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "sign-in-challenge");

        var stale = await ChallengeAsync(browser);
        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        using (var late = await PostSignInAsync(browser, _f.Operator, stale)) await AssertProblemAsync(late, HttpStatusCode.Unauthorized, "sign-in-challenge");
    }

    [Fact]
    public async Task A_signature_that_is_not_by_the_named_key_is_refused()
    {
        using var browser = Browser();
        var challenge = await ChallengeAsync(browser);
        using var auditorKey = ECDsa.Create();
        auditorKey.ImportFromPem(_f.Auditor.PrivateKeyPem);
        var signature = auditorKey.SignData(SignInChallenges.SignedText(challenge), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using var response = await browser.PostAsJsonAsync("console/session", new SignInRequest(challenge, PublicKey(_f.Operator), Convert.ToBase64String(signature)));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "sign-in-signature");
        Assert.Empty(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []);
    }

    [Fact]
    public async Task A_session_ends_with_its_lifetime_and_with_sign_out()
    {
        using var browser = Browser();
        var session = await SignInAsync(browser, _f.Auditor, await ChallengeAsync(browser));
        _clock.Advance(TimeSpan.FromMinutes(29));
        using (var live = await browser.GetAsync("api/audit/outbox")) Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(2));
        using (var expired = await browser.GetAsync("api/audit/outbox")) Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);

        session = await SignInAsync(browser, _f.Auditor, await ChallengeAsync(browser));
        using (var signOut = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "console/sign-out") { Headers = { { ConsoleSessionHandler.CsrfHeader, session.CsrfToken } } }))
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        using (var after = await browser.GetAsync("console/session")) Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_session_outlives_a_restart_of_the_service_and_sign_out_still_ends_it_for_good()
    {
        string cookie, csrf;
        using (var browser = Browser())
        using (var signedIn = await PostSignInAsync(browser, _f.Operator, await ChallengeAsync(browser)))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleSessionHandler.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
            csrf = (await signedIn.Content.ReadFromJsonAsync<ConsoleSessionDto>())!.CsrfToken;
        }
        await _f.DisposeAsync(); // the service stops; a new one starts on the same data directory (the same database)

        await using var restarted = new GatewayFactory(_f.DataDirectory, background: false, clock: _clock);
        using var http = restarted.CreateClient();
        HttpRequestMessage WithCookie(HttpMethod method, string path) => new(method, path) { Headers = { { "Cookie", cookie }, { ConsoleSessionHandler.CsrfHeader, csrf } } };
        using (var session = await http.SendAsync(WithCookie(HttpMethod.Get, "console/session")))
        {
            Assert.Equal(HttpStatusCode.OK, session.StatusCode);
            Assert.Equal(GatewayFactory.OperatorKeyId, (await session.Content.ReadFromJsonAsync<ConsoleSessionDto>())!.KeyId);
        }
        using (var signOut = await http.SendAsync(WithCookie(HttpMethod.Post, "console/sign-out"))) Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        using (var after = await http.SendAsync(WithCookie(HttpMethod.Get, "api/operator/journal-anomalies"))) Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_signed_request_is_judged_by_its_signature_even_with_a_session_cookie()
    {
        using var browser = Browser();
        await SignInAsync(browser, _f.Auditor, await ChallengeAsync(browser));
        // The auditor's session cookie rides along, but the request's signature headers decide: a bad one is refused.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "api/audit/outbox");
        forged.Headers.Add("X-CashTransfer-Key", GatewayFactory.AuditorKeyId);
        forged.Headers.Add("X-CashTransfer-Timestamp", _clock.GetUtcNow().ToUnixTimeMilliseconds().ToString());
        forged.Headers.Add("X-CashTransfer-Signature", Convert.ToBase64String(new byte[70]));
        using var response = await browser.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_key_on_a_curve_dotnet_does_not_know_is_an_unknown_key_not_a_server_error()
    {
        using var browser = Browser();
        var challenge = await ChallengeAsync(browser);
        var key = Convert.FromBase64String(PublicKey(_f.Operator));
        // P-256's curve OID 1.2.840.10045.3.1.7 ends 03 01 07; 03 01 08 is no curve .NET knows (PlatformNotSupportedException).
        var oid = key.AsSpan().IndexOf(new byte[] { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 });
        key[oid + 7] = 0x08;

        using var response = await browser.PostAsJsonAsync("console/session", new SignInRequest(challenge, Convert.ToBase64String(key), Convert.ToBase64String(new byte[64])));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "sign-in-unknown-key");
    }

    private HttpClient Browser() => _f.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private static async Task<string> ChallengeAsync(HttpClient browser)
    {
        using var response = await browser.PostAsync("console/challenge", null);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("challenge").GetString()!;
    }

    /// <summary>Signs the challenge as WebCrypto does (IEEE P1363, r||s) and sends it with the key's public half.</summary>
    private static Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, TestKey key, string challenge)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.PrivateKeyPem);
        var signature = ecdsa.SignData(SignInChallenges.SignedText(challenge), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return browser.PostAsJsonAsync("console/session", new SignInRequest(challenge, PublicKey(key), Convert.ToBase64String(signature)));
    }

    private static async Task<ConsoleSessionDto> SignInAsync(HttpClient browser, TestKey key, string challenge)
    {
        using var response = await PostSignInAsync(browser, key, challenge);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ConsoleSessionDto>())!;
    }

    private static string PublicKey(TestKey key)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.PublicKeyPem);
        return Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo());
    }

    private static HttpRequestMessage Change(string path, string? csrf)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent("""{"retailerId":"shop-1","categories":["food"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (csrf is not null) request.Headers.Add(ConsoleSessionHandler.CsrfHeader, csrf);
        return request;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string kind)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("urn:cashtransfer:problem:" + kind, (await response.JsonAsync()).GetProperty("type").GetString());
    }
}
