using CashTransfer.Api;
using System.Security.Cryptography;
using CashTransfer.Gateway.Hosting;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using Fabric.Protocol.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CashTransfer.Gateway.Benchmarks;

/// <summary>
/// The gateway service in this process, as Program.cs builds it (AddGateway, UseGatewayAsync), listening on
/// 127.0.0.1 (ephemeral port), with a SQLite database in a temp folder and the given ledger port. One operator
/// client (WFPMSP) signs the set-up requests.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    public const string OperatorKeyId = "operator/bench";

    private readonly WebApplication _app;
    private readonly ECDsa _operatorKey;

    private GatewayHost(WebApplication app, ECDsa operatorKey, Uri address)
    {
        _app = app;
        _operatorKey = operatorKey;
        Address = address;
    }

    public Uri Address { get; }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<GatewayHost> StartAsync(string dataDirectory, string agencyMsp, ILedgerGateway ledger, IDictionary<string, string?> settings)
    {
        var operatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var config = new Dictionary<string, string?>
        {
            ["CashTransfer:DataDirectory"] = dataDirectory,
            ["CashTransfer:AgencyMsp"] = agencyMsp,
            ["CashTransfer:Clients:0:KeyId"] = OperatorKeyId,
            ["CashTransfer:Clients:0:Role"] = "Operator",
            ["CashTransfer:Clients:0:AgencyMsp"] = agencyMsp,
            ["CashTransfer:Clients:0:PublicKeyPem"] = operatorKey.ExportSubjectPublicKeyInfoPem(),
        };
        foreach (var (k, v) in settings) config[k] = v;
        // No log providers: per-receipt log lines would measure the console, not the service.
        var (app, address) = await InProcessGateway.StartAsync(config, ledger, "http://127.0.0.1:0", _ => { });
        return new GatewayHost(app, operatorKey, address);
    }

    /// <summary>A client of the service signing with the key (operator, or a terminal's key); the key stays the caller's.</summary>
    public CashTransferClient Client(string keyId, IP256Signer signer) =>
        CashTransferClient.Connect(Address, keyId, signer, new CashTransferClientOptions { AttemptTimeout = TimeSpan.FromMinutes(5) });

    public CashTransferClient OperatorClient() => Client(OperatorKeyId, new P256Signer(_operatorKey));

    /// <summary>Receipts decided (committed or rejected), in the outbox, and rejected: one count of the outbox.</summary>
    public async Task<(long Final, long Total, long Rejected)> OutboxProgressAsync()
    {
        var counts = await Get<OutboxRepository>().CountByStatusAsync();
        long Count(string s) => counts.TryGetValue(s, out var n) ? n : 0;
        return (Count(ReceiptState.Committed) + Count(ReceiptState.Rejected), counts.Values.Sum(), Count(ReceiptState.Rejected));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _operatorKey.Dispose();
    }
}
