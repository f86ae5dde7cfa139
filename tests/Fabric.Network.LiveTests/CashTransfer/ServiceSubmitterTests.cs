using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Hosting;
using CashTransfer.Gateway.Ledger.Fabric;
using CashTransfer.Local;
using CashTransfer.Pos.Receipts;
using Fabric.Client.Configuration;
using Fabric.Shim.Contracts;
using Microsoft.Extensions.Logging;

namespace Fabric.Network.LiveTests.CashTransfer;

/// <summary>
/// The gateway service (hosted in this process: SQLite, its submitter and projection running) on the real Fabric 2.5
/// network, acting with the first agency's role users. Terminals sync offline backlogs, each against one beneficiary,
/// so the service endorses each receipt right after the commit of the one before it. When the policy needs two
/// agencies' peers, the second peer may not have committed that block yet and the endorsements differ (Fabric's
/// ABORTED "failed to collect enough transaction endorsements"): the submitter must endorse again. Every receipt the
/// service acknowledged must end committed, once: the ledger balance falls by exactly the receipts' sum.
/// </summary>
public sealed class ServiceSubmitterTests
{
    private const string Chaincode = "cashtransfer";
    private const string Currency = "USD";
    private const string Cycle = "2026-12";
    private const int Terminals = 4;
    private const int ReceiptsPerTerminal = 10;
    private const long Granted = 1_000_000;
    private const long Price = 100;
    private static readonly TimeSpan DecideWithin = TimeSpan.FromMinutes(4);

    [LiveFact]
    public async Task Every_receipt_of_terminals_backlogs_ends_committed_once_through_the_service()
    {
        var agency = LiveNetwork.Agencies[0];
        var profile = GatewaySettings.Load(Path.Combine(LiveNetwork.ClientsFolder, agency + ".json"));
        var run = $"svc{DateTime.UtcNow:HHmmss}{Random.Shared.Next(0x10000):x4}";
        var retailer = $"shop-{run}";
        var programme = $"cash-{run}";
        var data = Directory.CreateTempSubdirectory("cashtransfer-live-service-").FullName;
        using var operatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ledgerOptions = new FabricLedgerOptions
        {
            Provider = "Fabric",
            Channel = profile.Channel!,
            Chaincode = Chaincode,
            Identities = new[] { "operator", "auditor", "gateway" }.Select(role => new FabricIdentityOptions
            {
                AgencyMsp = profile.MspId, Role = role, SettingsFile = Path.Combine(LiveNetwork.ClientsFolder, "roles", $"{agency}-{role}.json"),
            }).ToList(),
        };
        var settings = new Dictionary<string, string?>
        {
            ["CashTransfer:DataDirectory"] = data,
            ["CashTransfer:AgencyMsp"] = profile.MspId,
            ["CashTransfer:Storage:Provider"] = "Sqlite",
            ["CashTransfer:Clients:0:KeyId"] = "operator/live",
            ["CashTransfer:Clients:0:Role"] = "Operator",
            ["CashTransfer:Clients:0:AgencyMsp"] = profile.MspId,
            ["CashTransfer:Clients:0:PublicKeyPem"] = operatorKey.ExportSubjectPublicKeyInfoPem(),
        };
        using var identities = new SettingsFileIdentities(ledgerOptions);
        var (app, service) = await InProcessGateway.StartAsync(settings, new FabricLedgerGateway(identities, ledgerOptions.Channel, Chaincode), "http://127.0.0.1:0",
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        var terminals = Enumerable.Range(0, Terminals).Select(i => new SigningTerminal($"pos-{run}-{i}", DemoBeneficiaries.Hash(run, i))).ToList();
        try
        {
            using var op = CashTransferClient.Connect(service, "operator/live", new P256Signer(operatorKey));
            await op.Operator.RegisterRetailerAsync(new RetailerRegistrationDto(retailer, ["food"]));
            foreach (var t in terminals)
                await op.Operator.RegisterTerminalAsync(new TerminalRegistrationDto(t.TerminalId, retailer, t.PublicKeyPem));
            await op.Operator.CreateProgrammeAsync(new ProgrammeDefinitionDto(programme, new Money(Terminals * Granted, Currency),
                DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), 1, new SpendingRestrictionDto("Cash", []), [retailer]));
            var csv = Encoding.UTF8.GetBytes("beneficiaryHash,amountMinor\n" + string.Concat(terminals.Select(t => $"{t.Beneficiary},{Granted}\n")));
            var upload = await op.Operator.UploadEntitlementsAsync(programme, Cycle, () => new MemoryStream(csv));
            var job = await Eventually.Get(() => op.Operator.GetUploadAsync(upload.JobId), j => j.Status is "completed" or "failed", DecideWithin);
            Assert.Equal(("completed", Terminals), (job.Status, (int)job.IssuedRows));

            // Every terminal sends its whole backlog at once; the service acknowledges it and decides it in the background.
            await Task.WhenAll(terminals.Select(async t =>
            {
                using var pos = t.Connect(service);
                var ack = await pos.Pos.UploadReceiptBatchAsync(new ReceiptBatch(t.TerminalId, t.Sell(ReceiptsPerTerminal, Price, Currency)), $"backlog-{t.TerminalId}");
                Assert.Equal(ReceiptsPerTerminal, ack.Value.Accepted);
            }));

            foreach (var t in terminals)
            {
                using var pos = t.Connect(service);
                var outcomes = await Eventually.Get(() => pos.Pos.ListOutcomesAsync(0),
                    o => o.Count == ReceiptsPerTerminal && o.All(r => r.Status is "committed" or "rejected"), DecideWithin);
                Assert.All(outcomes, r => Assert.True(r.Status == "committed", $"{r.RedemptionId}: {r.Status} {r.Reason} {r.ReasonDetail}"));
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            foreach (var t in terminals) t.Dispose();
            Directory.Delete(data, recursive: true);
        }

        // The ledger, read by the agency's auditor directly: each beneficiary paid for exactly its receipts.
        using var auditor = LiveNetwork.ConnectAs(agency, "auditor");
        foreach (var t in terminals)
        {
            var page = JsonSerializer.Deserialize<Page<Entitlement>>(await auditor.Contract(Chaincode).EvaluateTransactionAsync(
                "Query:GetBeneficiaryEntitlements", t.Beneficiary, "10", ""), ContractJson.Options)!;
            Assert.Equal(Granted - ReceiptsPerTerminal * Price, page.Items.Sum(e => e.Balance));
        }
    }

    /// <summary>A terminal that signs both its receipts (hash-chained journal) and its requests to the service with one P-256 key.</summary>
    private sealed class SigningTerminal(string terminalId, string beneficiary) : IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private long _sequence;
        private string _previousHash = ReceiptEncoding.GenesisHash;

        public string TerminalId { get; } = terminalId;
        public string Beneficiary { get; } = beneficiary;
        public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

        /// <summary>The next <paramref name="count"/> sales of the journal (numbered from 1), signed and chained.</summary>
        public List<SignedReceipt> Sell(int count, long price, string currency) => Enumerable.Range(0, count).Select(_ =>
        {
            var receipt = new Receipt(IdRules.NewRedemptionId(TerminalId), TerminalId, ++_sequence, _previousHash, Beneficiary, new Money(price, currency), "food",
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var signed = ReceiptEncoding.Sign(receipt, new P256Signer(_key));
            _previousHash = signed.Hash;
            return signed;
        }).ToList();

        public CashTransferClient Connect(Uri service) => CashTransferClient.Connect(service, RequestSignature.TerminalKeyId(TerminalId), new P256Signer(_key));

        public void Dispose() => _key.Dispose();
    }
}
