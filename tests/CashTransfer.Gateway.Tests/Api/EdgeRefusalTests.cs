using System.Net;
using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Api.Signing;
using CashTransfer.Api.Client;

namespace CashTransfer.Gateway.Tests.Api;

/// <summary>
/// What the service refuses before any work: suspended terminals (403 terminal-suspended), oversized bodies (413
/// body-too-large, never a 5xx that frees the key), and unknown keys, stale timestamps and bad signatures on large
/// bodies without reading those bodies.
/// </summary>
public sealed class EdgeRefusalTests : IAsyncLifetime
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private readonly GatewayFactory _f = new(background: false);
    private TerminalFixture _t = null!;

    public async Task InitializeAsync() => _t = await TerminalFixture.RegisterAsync(_f);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task SuspendAsync()
    {
        var terminals = _f.Get<TerminalRepository>();
        var record = (await terminals.FindAsync(_t.TerminalId))!;
        record.Status = "Suspended"; // as the projection records a TerminalUpdated event of SuspendTerminal
        await terminals.UpsertAsync(record);
    }

    [Fact]
    public async Task A_suspended_terminal_can_neither_read_nor_upload()
    {
        await SuspendAsync();
        var refused = new List<HttpResponseMessage>
        {
            await _t.UploadAsync(_t.Next(2)),
            await _t.Http.SendAsync(Requests.Post("api/pos/redemptions", _t.Next())),
            await _t.Http.GetAsync($"api/pos/balances/{Beneficiaries.One}"),
            await _t.Http.GetAsync("api/pos/outcomes?fromSequence=1"),
        };
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("urn:cashtransfer:problem:terminal-suspended", (await response.JsonAsync()).GetProperty("type").GetString());
            response.Dispose();
        }
        Assert.Equal(0, await OutboxProbe.CountAsync(_f));
        Assert.Equal(0, _f.Ledger.Count("evaluate"));
    }

    [Fact]
    public async Task A_reactivated_terminal_is_let_in_again()
    {
        await SuspendAsync();
        var terminals = _f.Get<TerminalRepository>();
        var record = (await terminals.FindAsync(_t.TerminalId))!;
        record.Status = "Active";
        await terminals.UpsertAsync(record);
        using var response = await _t.Http.GetAsync("api/pos/outcomes?fromSequence=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_ten_megabyte_field_is_refused_with_413_and_never_reaches_the_ledger()
    {
        using var op = _f.OperatorClient();
        var endorsed = _f.Ledger.Count("endorse");
        var body = new { retailerId = "R-9", categories = new[] { new string('x', 10 * 1024 * 1024) } };
        for (var attempt = 0; attempt < 2; attempt++) // the same answer again: a client does not retry a 4xx
        {
            using var response = await op.SendAsync(Requests.Post("api/operator/retailers", body, "key-10mb"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("urn:cashtransfer:problem:body-too-large", (await response.JsonAsync()).GetProperty("type").GetString());
        }
        Assert.Equal(endorsed, _f.Ledger.Count("endorse"));
    }

    [Fact]
    public async Task A_body_without_a_length_is_cut_off_at_the_limit_with_413()
    {
        var endorsed = _f.Ledger.Count("endorse");
        var json = "{\"retailerId\":\"R-9\",\"categories\":[\"" + new string('x', 3 * 1024 * 1024) + "\"]}";
        var bytes = Encoding.UTF8.GetBytes(json);
        using var content = new StreamContent(new NoLengthStream(bytes)); // sent chunked: no Content-Length to check up front
        using var http = _f.CreateDefaultClient();
        using var request = StreamedRequests.Signed("api/operator/retailers", GatewayFactory.OperatorKeyId, _f.Operator.Signer, SHA256.HashData(bytes), content, "application/json");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("urn:cashtransfer:problem:body-too-large", (await response.JsonAsync()).GetProperty("type").GetString());
        Assert.Equal(endorsed, _f.Ledger.Count("endorse"));
    }

    public static TheoryData<string> Refusals => ["bad signature", "unknown key", "stale timestamp", "hash not announced"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_large_upload_is_refused_before_its_body_is_read(string refusal)
    {
        using var body = new CountingContent(HundredMegabytes);
        using var impostor = new TestKey();
        var signer = refusal == "bad signature" ? impostor.Signer : _f.Operator.Signer;
        var keyId = refusal == "unknown key" ? "operator/nobody" : GatewayFactory.OperatorKeyId;
        using var request = StreamedRequests.Signed("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", keyId, signer, new byte[32], body, "text/csv",
            announceHash: refusal != "hash not announced");
        if (refusal == "stale timestamp")
        {
            request.Headers.Remove(RequestSignature.TimestampHeader);
            request.Headers.Add(RequestSignature.TimestampHeader, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds().ToString());
        }
        using var http = _f.CreateDefaultClient();
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("urn:cashtransfer:problem:authentication-failed", (await response.JsonAsync()).GetProperty("type").GetString());
        Assert.True(body.BytesSent < 4 * 1024 * 1024, $"{body.BytesSent} bytes of the body were read before the refusal");
        Assert.False(Directory.Exists(Path.Combine(_f.DataDirectory, "uploads")) && Directory.EnumerateFiles(Path.Combine(_f.DataDirectory, "uploads")).Any());
    }

    [Fact]
    public async Task A_body_that_does_not_match_its_signed_hash_is_refused_and_not_kept()
    {
        var csv = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n" + string.Concat(Enumerable.Repeat(new string('b', 64) + ",100\n", 5000)));
        var signedFor = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n");
        using var body = new CountingContent(csv);
        using var http = _f.CreateDefaultClient();
        using var request = StreamedRequests.Signed("api/operator/entitlement-uploads?programmeId=P-1&cycle=c1", GatewayFactory.OperatorKeyId, _f.Operator.Signer,
            SHA256.HashData(signedFor), body, "text/csv");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("does not match", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(Directory.Exists(Path.Combine(_f.DataDirectory, "spool")) ? Directory.GetFiles(Path.Combine(_f.DataDirectory, "spool")) : []);
    }

    /// <summary>A read-only stream that does not tell its length, so that the body goes without Content-Length.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
