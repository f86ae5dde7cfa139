using System.Security.Cryptography;
using System.Text;
using CashTransfer.Chaincode.Contracts;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Protocol.Identity;
using Fabric.Shim.Contracts;
using Fabric.Shim.Testing;

namespace CashTransfer.Chaincode.Tests;

/// <summary>
/// A small multi-agency ledger for contract tests: two agencies (WFP, UNW) with operators, an auditor, the
/// gateway, and helpers that submit the contract's functions through the in-memory world state.
/// </summary>
internal sealed class Ledger
{
    public const string Wfp = "WFPMSP";
    public const string Unw = "UNWMSP";
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public readonly InMemoryWorldState World = new() { Clock = Start };
    public readonly TransactionRunner Runner;
    public readonly TestIdentity WfpOperator = Identity(Wfp, "wfp-op", "operator");
    public readonly TestIdentity UnwOperator = Identity(Unw, "unw-op", "operator");
    public readonly TestIdentity Auditor = Identity("AuditMSP", "auditor", "auditor");
    public readonly TestIdentity Gateway = Identity(Wfp, "gateway", "gateway");
    public readonly TestIdentity NoRole = TestIdentity.Create(Wfp, "nobody");

    public readonly ProgrammeContract Programmes = new();
    public readonly EntitlementContract Entitlements = new();
    public readonly RetailContract Retail = new();
    public readonly RedemptionContract Redemptions = new();
    public readonly SettlementContract Settlements = new();
    public readonly QueryContract Queries = new();
    public readonly CoordinationContract Coordination = new();

    private readonly Dictionary<string, ECDsa> _terminalKeys = new();
    private long _sequence;

    public Ledger() => Runner = new TransactionRunner(World);

    public static TestIdentity Identity(string msp, string name, string role) =>
        TestIdentity.Create(msp, name, new Dictionary<string, string> { ["cashtransfer.role"] = role });

    public static string Beneficiary(int n) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("beneficiary-" + n)));

    /// <summary>Submits and checks the rule that every state change emits an event.</summary>
    public async Task<TransactionOutcome<T>> Submit<T>(TestIdentity caller, Func<Context, Task<T>> f, TransactionOptions? options = null)
    {
        var outcome = await Runner.SubmitAsync(caller, f, options);
        if (outcome.Commit is { IsValid: true, WrittenKeys: > 0 } commit)
            Assert.True(commit.Event is not null, $"A transaction changed {commit.WrittenKeys} keys but emitted no event.");
        return outcome;
    }
    public Task<TransactionOutcome<T>> Evaluate<T>(TestIdentity caller, Func<Context, Task<T>> f) => Runner.EvaluateAsync(caller, f);

    public static ProgrammeDefinition Definition(string id, long budget, string currency = "USD", int priority = 1, RestrictionKind kind = RestrictionKind.Cash,
        string[]? categories = null, string[]? retailers = null, DateTimeOffset? from = null, DateTimeOffset? until = null) =>
        new(id, new Money(budget, currency), from ?? Start, until ?? Start.AddDays(30), priority,
            new SpendingRestriction(kind, categories ?? []), retailers ?? ["RT-1"]);

    /// <summary>Registers RT-1 (food, hygiene) and RT-2 (food, fuel) with WFP, and one terminal each.</summary>
    public async Task<Ledger> WithRetailers()
    {
        _ = (await Submit(WfpOperator, c => Retail.RegisterRetailer(c, new RetailerRegistration("RT-1", ["food", "hygiene"])))).Value;
        _ = (await Submit(WfpOperator, c => Retail.RegisterRetailer(c, new RetailerRegistration("RT-2", ["food", "fuel"])))).Value;
        await AddTerminal("T-1", "RT-1");
        await AddTerminal("T-2", "RT-2");
        return this;
    }

    public async Task AddTerminal(string terminalId, string retailerId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _terminalKeys[terminalId] = key;
        _ = (await Submit(WfpOperator, c => Retail.RegisterTerminal(c, new TerminalRegistration(terminalId, retailerId, key.ExportSubjectPublicKeyInfoPem())))).Value;
    }

    public ECDsa TerminalKey(string terminalId) => _terminalKeys[terminalId];
    public void ReplaceTerminalKey(string terminalId, ECDsa key) => _terminalKeys[terminalId] = key;

    public async Task<Programme> CreateProgramme(TestIdentity op, ProgrammeDefinition d) => (await Submit(op, c => Programmes.CreateProgramme(c, d))).Value;

    public async Task<IssueResult> Issue(TestIdentity op, string programme, string cycle, params (int Beneficiary, long Amount)[] grants) =>
        (await Submit(op, c => Entitlements.IssueEntitlements(c, new EntitlementBatch(programme, cycle, grants.Select(g => new EntitlementGrant(Beneficiary(g.Beneficiary), g.Amount)).ToList())))).Value;

    public Receipt Receipt(int beneficiary, long amount, string terminal = "T-1", string category = "food", string currency = "USD", string? redemptionId = null, DateTimeOffset? at = null) =>
        new(redemptionId ?? $"{terminal}:R-{Interlocked.Increment(ref _sequence)}", terminal, _sequence, new string('0', 64), Beneficiary(beneficiary),
            new Money(amount, currency), category, (at ?? World.Clock).ToUnixTimeMilliseconds());

    public SignedReceipt Sign(Receipt receipt, ECDsa? key = null) =>
        new(receipt, Convert.ToBase64String(new EcdsaSigner(key ?? TerminalKey(receipt.TerminalId)).Sign(ReceiptEncoding.Encode(receipt))));

    public SignedReversal Sign(ReversalRequest request) =>
        new(request, Convert.ToBase64String(new EcdsaSigner(TerminalKey(request.TerminalId)).Sign(ReceiptEncoding.Encode(request))));

    public Task<TransactionOutcome<Redemption>> Redeem(Receipt receipt, TransactionOptions? options = null) =>
        Submit(Gateway, c => Redemptions.Redeem(c, Sign(receipt)), options);

    public T Committed<T>(string type, params string[] parts) where T : class
    {
        var bytes = World.GetState(Key(type, parts));
        return bytes.Length == 0 ? null! : LedgerJson.Deserialize<T>(bytes);
    }

    public Entitlement EntitlementOf(int beneficiary, string programme, string cycle) => Committed<Entitlement>(Keys.Entitlement, Beneficiary(beneficiary), programme, cycle);

    public static string Key(string type, params string[] parts) => "\0" + type + "\0" + string.Concat(parts.Select(p => p + "\0"));

    /// <summary>Every committed record of a type (direct read of the world state, for invariants).</summary>
    public List<T> All<T>(string type) => World.Keys.Where(k => k.StartsWith("\0" + type + "\0", StringComparison.Ordinal))
        .Select(k => LedgerJson.Deserialize<T>(World.GetState(k))).ToList();
}

internal static class OutcomeAssertions
{
    /// <summary>Asserts that the function refused the call with this status (and so nothing was committed).</summary>
    public static ChaincodeException FailsWith<T>(this TransactionOutcome<T> outcome, int status)
    {
        var error = Assert.IsType<ChaincodeException>(outcome.Error);
        Assert.Equal(status, error.Status);
        Assert.Null(outcome.Commit);
        return error;
    }
}
