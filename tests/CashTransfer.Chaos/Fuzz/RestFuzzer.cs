using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using Fabric.Protocol.Identity;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Mutated REST requests at the service: receipt batches, online redemptions, reversals, registrations, programmes,
/// settlements, CSV entitlement uploads, and reads with hostile path and query values. Most are signed correctly by
/// a registered terminal, operator or auditor (so that they reach the handlers); the rest are unsigned, forged (a
/// registered key id signed by another key) or have their signed headers mutated after signing. Every response is
/// counted by status; a 5xx other than the documented 502 ledger-error / 503 ledger-unavailable is a finding.
/// </summary>
public sealed class RestFuzzer : IDisposable
{
    private static readonly HttpRequestOptionsKey<Action<HttpRequestMessage>> AfterSigning = new("fuzz.after-signing");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, HttpClient> _clients = [];
    private readonly List<IDisposable> _owned = [];
    private readonly RestFuzzContext _context;
    private readonly FuzzTally _tally;
    private readonly int _seed;

    public RestFuzzer(Uri gateway, RestFuzzContext context, FuzzTally tally, int seed)
    {
        _context = context;
        _tally = tally;
        _seed = seed;
        Add("terminal", gateway, RequestSignature.TerminalKeyId(context.TerminalId), context.TerminalSigner);
        Add("operator", gateway, context.OperatorKeyId, context.OperatorSigner);
        Add("auditor", gateway, context.AuditorKeyId, context.AuditorSigner);
        var stranger = P256Signer.FromPem(NewKeyPem());
        _owned.Add(stranger);
        Add("forged", gateway, RequestSignature.TerminalKeyId(context.TerminalId), stranger);
        _clients["unsigned"] = new HttpClient(new AfterSigningHandler { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
    }

    private void Add(string name, Uri gateway, string keyId, IP256Signer signer) =>
        _clients[name] = new HttpClient(new SigningHandler(keyId, signer) { InnerHandler = new AfterSigningHandler { InnerHandler = new SocketsHttpHandler() } })
        { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };

    public async Task RunAsync(long requests, int concurrency, CancellationToken ct)
    {
        // Counted by what reached the service: requests HttpClient itself refuses to send do not count.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var random = new Random(WorkerSeed.For(_seed, Fuzzer.Rest, worker));
            var text = new TextMutator(random);
            try
            {
                while (_tally.Sent < requests && !ct.IsCancellationRequested)
                    await SendOneAsync(random, text, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        }));
    }

    private async Task SendOneAsync(Random random, TextMutator text, CancellationToken ct)
    {
        var (endpoint, role, request) = Build(random, text);
        var signing = random.Next(20) switch { 0 => "unsigned", 1 => "forged", _ => role };
        if (random.Next(5) == 0) MutateHeaders(request, random, text);
        if (!request.Headers.Contains(RequestSignature.IdempotencyKeyHeader) && request.Method == HttpMethod.Post && random.Next(10) != 0)
            request.Headers.TryAddWithoutValidation(RequestSignature.IdempotencyKeyHeader, $"fuzz-{Guid.NewGuid():N}");
        var target = $"{request.Method} {endpoint}";
        try
        {
            using var response = await _clients[signing].SendAsync(request, ct);
            var status = (int)response.StatusCode;
            var outcome = status.ToString();
            if (status >= 500)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                var documented = (status == 502 && body.Contains("ledger-error", StringComparison.Ordinal)) ||
                                 (status == 503 && body.Contains("ledger-unavailable", StringComparison.Ordinal));
                outcome = documented ? $"{status} (documented)" : $"{status} UNDOCUMENTED";
                _tally.Example($"{target}: {outcome}", $"{signing}, mutation {text.Kind}, {request.RequestUri}, body {Describe(request)}: {body}");
            }
            _tally.Count(target, outcome);
        }
        catch (HttpRequestException e) when (e.InnerException is null or ArgumentException or FormatException || e.Message.Contains("header", StringComparison.OrdinalIgnoreCase))
        {
            // HttpClient itself refuses some hostile headers (new lines, non-ASCII): nothing reached the service.
            _tally.Count(target, "refused by HttpClient, not sent", 0);
        }
        catch (HttpRequestException e)
        {
            _tally.Count(target, "connection failed");
            _tally.Example($"{target}: connection failed", $"{signing}, mutation {text.Kind}, {request.RequestUri}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            _tally.Count(target, "no answer in 60 s");
            _tally.Example($"{target}: no answer in 60 s", $"{signing}, mutation {text.Kind}, {request.RequestUri}");
        }
        finally
        {
            request.Dispose();
        }
    }

    private (string Endpoint, string Role, HttpRequestMessage Request) Build(Random random, TextMutator text)
    {
        var c = _context;
        var hash = c.Beneficiaries[random.Next(c.Beneficiaries.Count)];
        var receipt = c.Receipts[random.Next(c.Receipts.Count)];
        switch (random.Next(16))
        {
            case 0 or 1 or 2:
                var batch = c.Receipts.Skip(random.Next(c.Receipts.Count)).Take(random.Next(1, 6)).ToList();
                return ("api/pos/receipt-batches", "terminal", Post("api/pos/receipt-batches", text.MutateJson(JsonSerializer.Serialize(new { terminalId = c.TerminalId, receipts = batch }, Json)), random));
            case 3:
                return ("api/pos/redemptions", "terminal", Post("api/pos/redemptions", text.MutateJson(JsonSerializer.Serialize(receipt, Json)), random));
            case 4:
                var reversal = new { request = new { redemptionId = receipt.Receipt.RedemptionId, terminalId = c.TerminalId, reason = "CashierError", terminalTimeUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, signature = "MEUCIQ==" };
                return ("api/pos/reversals", "terminal", Post("api/pos/reversals", text.MutateJson(JsonSerializer.Serialize(reversal, Json)), random));
            case 5:
                return ("api/pos/outcomes", "terminal", Get($"api/pos/outcomes?fromSequence={Q(text.Value("1"))}&limit={Q(text.Value("50"))}"));
            case 6:
                return ("api/pos/outcomes/{id}", "terminal", Get($"api/pos/outcomes/{P(text.Value(receipt.Receipt.RedemptionId))}"));
            case 7:
                return ("api/pos/balances/{hash}", "terminal", Get($"api/pos/balances/{P(text.Value(hash))}"));
            case 8 or 9:
                return ("api/operator/entitlement-uploads", "operator", Post($"api/operator/entitlement-uploads?programmeId={Q(text.Value(c.ProgrammeId))}&cycle={Q(text.Value("fuzz"))}",
                    text.MutateCsv(c.Beneficiaries), random, "text/csv"));
            case 10:
                var terminal = new { terminalId = $"fuzz-{random.Next(1000)}", retailerId = c.RetailerId, publicKeyPem = NewPublicKeyPem() };
                return ("api/operator/terminals", "operator", Post("api/operator/terminals", text.MutateJson(JsonSerializer.Serialize(terminal, Json)), random));
            case 11:
                var programme = new
                {
                    programmeId = $"fuzz-{random.Next(1000)}", budget = new Money(1_000_000, "JOD"), validFrom = DateTimeOffset.UtcNow.AddDays(-1), validUntil = DateTimeOffset.UtcNow.AddDays(30),
                    priority = 1, restriction = new { kind = "Cash", categories = Array.Empty<string>() }, allowedRetailers = new[] { c.RetailerId },
                };
                return ("api/operator/programmes", "operator", Post("api/operator/programmes", text.MutateJson(JsonSerializer.Serialize(programme, Json)), random));
            case 12:
                var settlement = new { settlementId = $"fuzz-{random.Next(1_000_000)}", retailerId = c.RetailerId, cutOff = DateTimeOffset.UtcNow.AddYears(-1), paymentReference = "fuzz" };
                return ("api/operator/settlements", "operator", Post("api/operator/settlements", text.MutateJson(JsonSerializer.Serialize(settlement, Json)), random));
            case 13:
                return ("api/operator/overlaps", "operator", Get($"api/operator/overlaps?beneficiaryHash={Q(text.Value(hash))}&from={Q(text.Value("2020-01-01T00:00:00Z"))}&to={Q(text.Value("2030-01-01T00:00:00Z"))}"));
            case 14:
                return ("api/audit/redemptions", "auditor", Get($"api/audit/redemptions?terminalId={Q(text.Value(c.TerminalId))}&pageSize={Q(text.Value("10"))}&bookmark={Q(text.Value(""))}"));
            default:
                var path = random.Next(4) switch
                {
                    0 => $"api/audit/history/{P(text.Value("terminal"))}?key={Q(text.Value(c.TerminalId))}",
                    1 => $"api/audit/payables/{P(text.Value(c.RetailerId))}",
                    2 => $"api/audit/programmes/{P(text.Value(c.ProgrammeId))}/totals",
                    _ => $"api/audit/redemptions/{P(text.Value(receipt.Receipt.RedemptionId))}",
                };
                return ("api/audit/*", "auditor", Get(path));
        }
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, byte[] body, Random random, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        var type = random.Next(12) switch { 0 => "text/plain", 1 => "application/x-www-form-urlencoded", 2 => null, 3 => "application/json; charset=utf-16", _ => contentType };
        if (type is not null) content.Headers.TryAddWithoutValidation("Content-Type", type);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>Changes signed headers after signing: the signature, the timestamp, the key id, the Idempotency-Key.</summary>
    private static void MutateHeaders(HttpRequestMessage request, Random random, TextMutator text)
    {
        var which = random.Next(6);
        var hostile = text.Hostile();
        request.Options.Set(AfterSigning, r =>
        {
            switch (which)
            {
                case 0: Replace(r.Headers, RequestSignature.SignatureHeader, Flip(r.Headers.TryGetValues(RequestSignature.SignatureHeader, out var s) ? s.First() : "", random)); break;
                case 1: Replace(r.Headers, RequestSignature.TimestampHeader, random.Next(3) switch { 0 => "0", 1 => "99999999999999999999", _ => hostile }); break;
                case 2: Replace(r.Headers, RequestSignature.KeyIdHeader, random.Next(2) == 0 ? "terminal/unknown-terminal" : "operator/" + hostile); break;
                case 3: Replace(r.Headers, RequestSignature.IdempotencyKeyHeader, random.Next(2) == 0 ? new string('k', 10_000) : "key" + hostile); break;
                case 4: r.Headers.Remove(RequestSignature.SignatureHeader); break;
                default: r.Headers.TryAddWithoutValidation("X-Forwarded-For", new string('1', 8_000)); break;
            }
        });
    }

    private static void Replace(HttpRequestHeaders headers, string name, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, value);
    }

    private static string Flip(string value, Random random)
    {
        if (value.Length == 0) return "AAAA";
        var chars = value.ToCharArray();
        chars[random.Next(chars.Length)] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ+/="[random.Next(29)];
        return new string(chars);
    }

    private static string Describe(HttpRequestMessage request)
    {
        if (request.Content is not ByteArrayContent content) return "(none)";
        var bytes = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var text = Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(200, bytes.Length)));
        return $"{bytes.Length} bytes '{text.ReplaceLineEndings("\\n")}'";
    }

    private static string Q(string value) => Uri.EscapeDataString(value);
    private static string P(string value) => Uri.EscapeDataString(value);

    private static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static string NewPublicKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        foreach (var owned in _owned) owned.Dispose();
    }

    /// <summary>Runs the request's after-signing mutation, if any, between the signing handler and the wire.</summary>
    private sealed class AfterSigningHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Options.TryGetValue(AfterSigning, out var mutate)) mutate(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>What the REST fuzzer signs with and builds on: a registered terminal with valid receipts, an operator, an auditor, the beneficiaries, a programme.</summary>
public sealed record RestFuzzContext(string TerminalId, IP256Signer TerminalSigner, string OperatorKeyId, IP256Signer OperatorSigner, string AuditorKeyId, IP256Signer AuditorSigner,
    string RetailerId, string ProgrammeId, IReadOnlyList<string> Beneficiaries, IReadOnlyList<SignedReceipt> Receipts);
