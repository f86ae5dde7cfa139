using System.Diagnostics;
using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Local;
using CashTransfer.Contracts;
using Fabric.Client;
using Fabric.Shim.Contracts;
using Protos;
using Contract = Fabric.Client.Contract;

namespace CashTransfer.Chaincode.Benchmarks;

/// <summary>
/// Many terminals redeeming at once, each for its own beneficiary (so no two receipts touch one entitlement):
/// every terminal signs a receipt, the gateway user submits it and waits for its commit status, then the next.
/// Only receipts committed VALID and accepted count.
/// </summary>
public sealed class RedemptionLoad(Contract operatorContract, Contract gatewayContract, int terminalCount) : IDisposable
{
    private const string Currency = "USD";
    private static JsonSerializerOptions Json => ContractJson.Options;
    private readonly string _run = $"bench{DateTime.UtcNow:HHmmss}{Random.Shared.Next(0x10000):x4}";
    private readonly List<(DemoTerminal Terminal, string Beneficiary)> _lanes = [];

    /// <summary>A retailer, the terminals, a cash programme and one large entitlement per terminal's beneficiary.</summary>
    public async Task SetUpAsync()
    {
        var retailer = $"shop-{_run}";
        var programme = $"cash-{_run}";
        await Submit(operatorContract, "Retail:RegisterRetailer", new RetailerRegistration(retailer, ["food"]));
        for (var i = 0; i < terminalCount; i++)
            _lanes.Add((new DemoTerminal($"pos-{_run}-{i}", retailer), DemoBeneficiaries.Hash(_run, i)));
        // Registrations touch different keys: submit them together.
        await Task.WhenAll(_lanes.Select(l => Submit(operatorContract, "Retail:RegisterTerminal", new TerminalRegistration(l.Terminal.TerminalId, retailer, l.Terminal.PublicKeyPem))));
        await Submit(operatorContract, "Programme:CreateProgramme", new ProgrammeDefinition(programme, new Money(1_000_000_000_000, Currency),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), 1, new SpendingRestriction(RestrictionKind.Cash, []), [retailer]));
        await Submit(operatorContract, "Entitlement:IssueEntitlements",
            new EntitlementBatch(programme, "2026-11", _lanes.Select(l => new EntitlementGrant(l.Beneficiary, 1_000_000_000)).ToList()));
    }

    /// <summary>Redemptions per second over <paramref name="duration"/>; throws if any receipt did not commit accepted.</summary>
    public async Task<double> RunAsync(TimeSpan duration)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(_lanes.Select(lane => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var receipt = lane.Terminal.Sell(lane.Beneficiary, new Money(100, Currency), "food");
                var submitted = await gatewayContract.SubmitAsync("Redemption:Redeem", new ProposalOptions().AddArguments(JsonSerializer.Serialize(receipt, Json)));
                var status = await submitted.GetStatusAsync();
                var redemption = JsonSerializer.Deserialize<Redemption>(submitted.Result, Json)!;
                if (status.Code != TxValidationCode.Valid || redemption.Status != RedemptionStatus.Accepted)
                    throw new InvalidOperationException($"receipt {receipt.Receipt.RedemptionId} ended {status.Code} / {redemption.Status} {redemption.Rejection?.Code}");
                Interlocked.Increment(ref done);
            }
        })));
        return done / clock.Elapsed.TotalSeconds;
    }

    private static Task<byte[]> Submit<T>(Contract contract, string function, T argument) =>
        contract.SubmitTransactionAsync(function, JsonSerializer.Serialize(argument, Json));

    public void Dispose()
    {
        foreach (var lane in _lanes) lane.Terminal.Dispose();
    }
}
