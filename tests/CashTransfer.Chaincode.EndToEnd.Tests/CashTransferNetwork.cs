using System.Text.Json;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Local;
using CashTransfer.Contracts;
using Fabric.Client;
using Fabric.Protocol.Transactions;
using Fabric.Shim.Contracts;
using Spectre.Console;
using Contract = Fabric.Client.Contract;

namespace CashTransfer.Chaincode.EndToEnd.Tests;

/// <summary>
/// One local stack for the whole test class (starting it costs seconds): the chaincode over CCaaS and a
/// three-agency embedded network endorsing by MAJORITY (two peers), with a retailer selling food whose terminals
/// the tests register, and one WFP food-voucher programme. Each test issues to its own fresh beneficiaries.
/// </summary>
public sealed class CashTransferNetwork : IAsyncLifetime
{
    public const string Currency = "JOD";
    public const string Cycle = "2026-12";
    private readonly string _data = Directory.CreateTempSubdirectory("cashtransfer-e2e-").FullName;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
    private readonly List<DemoTerminal> _terminals = [];
    private LocalStack? _stack;
    private int _nextBeneficiary;
    private int _nextRetailer;

    public string Run { get; } = $"e2e{Random.Shared.Next(0x10000):x4}";
    public string RetailerId => $"shop-{Run}";
    public string FoodProgramme => $"wfp-food-{Run}";

    public LocalStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");
    public Contract WfpOperator { get; private set; } = null!;
    public Contract UnhcrGateway { get; private set; } = null!;
    public Contract Auditor { get; private set; } = null!;

    public static JsonSerializerOptions Json => ContractJson.Options;

    public async Task InitializeAsync()
    {
        _stack = await LocalStack.StartAsync(_data, _console);
        WfpOperator = Stack.ContractAs("WFPMSP", "Operator");
        UnhcrGateway = Stack.ContractAs("UNHCRMSP", "Gateway");
        Auditor = Stack.ContractAs("UNWomenMSP", "Auditor");
        await SubmitAsync<Retailer>(WfpOperator, "Retail:RegisterRetailer", new RetailerRegistration(RetailerId, ["food"]));
        await SubmitAsync<Programme>(WfpOperator, "Programme:CreateProgramme", new ProgrammeDefinition(FoodProgramme, new Money(100_000_000, Currency),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), 1, new SpendingRestriction(RestrictionKind.Voucher, ["food"]), [RetailerId]));
    }

    /// <summary>
    /// Registers <paramref name="count"/> new terminals of a retailer (the shared one unless named), each with its own
    /// receipt-signing key.
    /// </summary>
    public async Task<IReadOnlyList<DemoTerminal>> NewTerminalsAsync(int count, string? retailerId = null)
    {
        retailerId ??= RetailerId;
        var terminals = Enumerable.Range(0, count).Select(_ => new DemoTerminal($"pos-{Run}-{_terminals.Count + _}", retailerId)).ToList();
        _terminals.AddRange(terminals);
        foreach (var terminal in terminals)
            await SubmitAsync<Terminal>(WfpOperator, "Retail:RegisterTerminal", new TerminalRegistration(terminal.TerminalId, retailerId, terminal.PublicKeyPem));
        return terminals;
    }

    /// <summary>A new food retailer allowed on the food programme, for tests that look at one retailer's payables.</summary>
    public async Task<string> NewRetailerAsync()
    {
        var retailerId = $"shop-{Run}-{Interlocked.Increment(ref _nextRetailer)}";
        await SubmitAsync<Retailer>(WfpOperator, "Retail:RegisterRetailer", new RetailerRegistration(retailerId, ["food"]));
        await WfpOperator.SubmitTransactionAsync("Programme:AllowRetailer", FoodProgramme, retailerId);
        return retailerId;
    }

    /// <summary>What agencies owe the retailer and have not settled, as the auditor reads it.</summary>
    public async Task<IReadOnlyList<PayableDelta>> PayablesAsync(string retailerId)
    {
        var page = JsonSerializer.Deserialize<Page<PayableDelta>>(await Auditor.EvaluateTransactionAsync("Query:GetPayables", retailerId, "100", ""), Json)!;
        Assert.Equal("", page.Bookmark); // one page holds them all
        return page.Items;
    }

    /// <summary>New beneficiaries (keyed hashes, no personal data), each issued <paramref name="amountMinor"/> of food vouchers.</summary>
    public async Task<IReadOnlyList<string>> NewBeneficiariesAsync(int count, long amountMinor)
    {
        var hashes = Enumerable.Range(0, count).Select(_ => DemoBeneficiaries.Hash(Run, Interlocked.Increment(ref _nextBeneficiary))).ToList();
        var issued = await SubmitAsync<IssueResult>(WfpOperator, "Entitlement:IssueEntitlements",
            new EntitlementBatch(FoodProgramme, Cycle, hashes.Select(h => new EntitlementGrant(h, amountMinor)).ToList()));
        Assert.Equal(count, issued.IssuedCount);
        return hashes;
    }

    /// <summary>The beneficiary's food-voucher entitlement as the auditor reads it.</summary>
    public async Task<Entitlement> EntitlementAsync(string beneficiaryHash)
    {
        var page = JsonSerializer.Deserialize<Page<Entitlement>>(
            await Auditor.EvaluateTransactionAsync("Query:GetBeneficiaryEntitlements", beneficiaryHash, "10", ""), Json)!;
        return Assert.Single(page.Items);
    }

    /// <summary>The recorded outcome of a redemption id, or null when nothing is recorded under it.</summary>
    public async Task<Redemption?> RecordedRedemptionAsync(string redemptionId)
    {
        try
        {
            return JsonSerializer.Deserialize<Redemption>(await Auditor.EvaluateTransactionAsync("Query:GetRedemption", redemptionId), Json);
        }
        catch (GatewayException e) when (e.Details.Any(d => d.Message.Contains("is not recorded", StringComparison.Ordinal)) || e.Message.Contains("is not recorded", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <summary>The MSP ids whose peers endorsed a committed transaction, read from its block.</summary>
    public IReadOnlyList<string> EndorsersOf(string transactionId) =>
        Committed(transactionId).Actions.SelectMany(a => a.Endorsements)
            .Select(e => Fabric.Protocol.Identity.X509Identity.FromSerializedIdentity(e.Endorser.Span).MspId).ToList();

    /// <summary>The chaincode event a committed transaction emitted, read from its block.</summary>
    public Protos.ChaincodeEvent? EventOf(string transactionId) => Assert.Single(Committed(transactionId).Actions).Event;

    private TransactionEnvelope Committed(string transactionId)
    {
        var committed = Stack.Network.Ledger.FindTransaction(transactionId) ?? throw new InvalidOperationException($"{transactionId} is not committed.");
        return TransactionEnvelope.Parse(Stack.Network.Ledger.GetBlock(committed.BlockNumber).Data.Data[committed.Index]);
    }

    public static string Serialize<T>(T argument) => JsonSerializer.Serialize(argument, Json);

    public static async Task<TResult> SubmitAsync<TResult>(Contract contract, string function, object argument) =>
        JsonSerializer.Deserialize<TResult>(await contract.SubmitTransactionAsync(function, JsonSerializer.Serialize(argument, Json)), Json)!;

    public static TResult Parse<TResult>(byte[] result) => JsonSerializer.Deserialize<TResult>(result, Json)!;

    public async Task DisposeAsync()
    {
        foreach (var terminal in _terminals) terminal.Dispose();
        if (_stack is not null) await _stack.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
