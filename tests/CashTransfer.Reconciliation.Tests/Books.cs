using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;
using CashTransfer.Api.Signing;

namespace CashTransfer.Reconciliation.Tests;

/// <summary>
/// A small, consistent set of books to break one rule at a time: terminals with real keys and signed, chained
/// receipts; the ledger's redemptions of them; a programme, payables, settlements and a matching payment statement.
/// </summary>
public sealed class Books : IDisposable
{
    public static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset To = From.AddDays(30);
    public const string Header = "paymentReference,retailerId,agencyMsp,amountMinor,currency,valueDate";

    private readonly Dictionary<string, (ECDsa Key, P256Signer Signer)> _keys = [];
    private readonly List<(ECDsa Key, P256Signer Signer)> _retired = [];
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"recon-tests-{Guid.NewGuid():N}");

    public TestLedger Ledger { get; } = new();
    /// <summary>Each terminal's journal in order, as the terminal holds it.</summary>
    public Dictionary<string, List<SignedReceipt>> Journals { get; } = [];
    public List<string> PaymentLines { get; } = [];
    public RecordingResubmitter Resubmitter { get; } = new();

    /// <summary>Two terminals of two retailers, five sales each, all on the ledger; one settlement each, paid.</summary>
    public static Books Clean()
    {
        var b = new Books();
        b.AddTerminal("T-1", "RT-1");
        b.AddTerminal("T-2", "RT-2");
        for (int i = 0; i < 5; i++)
        {
            b.RecordOnLedger(b.Sell("T-1", 100 + i), "RT-1");
            b.RecordOnLedger(b.Sell("T-2", 200 + i), "RT-2");
        }
        b.Settle("S-1", "RT-1", "PAY-1", 2);
        b.Settle("S-2", "RT-2", "PAY-2", 5);
        b.Pay("PAY-1", "RT-1", "WFPMSP", b.Settled("S-1"), "KES");
        b.Pay("PAY-2", "RT-2", "WFPMSP", b.Settled("S-2"), "KES");
        b.BalanceProgramme();
        return b;
    }

    public void AddTerminal(string terminalId, string retailerId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _keys[terminalId] = (key, new P256Signer(key));
        Ledger.Terminals.Add(new LedgerTerminal(terminalId, retailerId, new TerminalKeyHistory(terminalId, key.ExportSubjectPublicKeyInfoPem(), 1, false, [], [])));
        Journals[terminalId] = [];
    }

    /// <summary>A routine key rotation at <paramref name="at"/>: the ledger keeps the old key as retired; the terminal signs later sales with the new one.</summary>
    public void RotateKey(string terminalId, DateTimeOffset at)
    {
        var registered = Ledger.Terminals.Single(t => t.TerminalId == terminalId);
        var old = registered.Keys;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _retired.Add(_keys[terminalId]);
        _keys[terminalId] = (key, new P256Signer(key));
        Ledger.Terminals[Ledger.Terminals.IndexOf(registered)] = registered with
        {
            Keys = old with
            {
                PublicKeyPem = key.ExportSubjectPublicKeyInfoPem(), KeyVersion = old.KeyVersion + 1,
                RetiredKeys = [.. old.RetiredKeys, new RetiredKey(old.KeyVersion, old.PublicKeyPem, at, null)],
            },
        };
    }

    /// <summary>The terminal records a sale in its journal (signed, chained) and returns it.</summary>
    public SignedReceipt Sell(string terminalId, long minor, string currency = "KES")
    {
        var journal = Journals[terminalId];
        var previous = journal.Count == 0 ? ReceiptEncoding.GenesisHash : journal[^1].Hash;
        var receipt = new Receipt($"{terminalId}:R{journal.Count + 1:D4}", terminalId, journal.Count + 1, previous, new string('a', 64),
            new Money(minor, currency), "food", From.AddHours(journal.Count + 1).ToUnixTimeMilliseconds());
        var signed = ReceiptEncoding.Sign(receipt, _keys[terminalId].Signer);
        journal.Add(signed);
        return signed;
    }

    public LedgerRedemption RecordOnLedger(SignedReceipt s, string retailerId, string status = LedgerStatus.Accepted, string? rejection = null)
    {
        var r = s.Receipt;
        var recorded = new LedgerRedemption(r.RedemptionId, r.TerminalId, retailerId, r.Sequence, s.Hash, r.Amount, status, rejection,
            r.TerminalTime.AddMinutes(1), status == LedgerStatus.Rejected ? [] : [new LedgerAllocation("P-1", "WFPMSP", r.Amount.Minor)]);
        Ledger.Redemptions.Add(recorded);
        if (status == LedgerStatus.Accepted)
            Ledger.Payables.Add(new LedgerPayable(retailerId, "WFPMSP", r.RedemptionId, r.Amount, recorded.RecordedAt));
        return recorded;
    }

    /// <summary>Settles the first <paramref name="count"/> payables of the retailer (removing them, as the chaincode does).</summary>
    public void Settle(string settlementId, string retailerId, string reference, int count)
    {
        var paid = Ledger.Payables.Where(p => p.RetailerId == retailerId).Take(count).ToList();
        foreach (var p in paid) Ledger.Payables.Remove(p);
        Ledger.Settlements.Add(new LedgerSettlement(settlementId, "WFPMSP", retailerId, reference, [new Money(paid.Sum(p => p.Amount.Minor), "KES")], paid.Count,
            From.AddDays(2)));
    }

    public long Settled(string settlementId) => Ledger.Settlements.Single(s => s.SettlementId == settlementId).Totals[0].Minor;

    public void Pay(string reference, string retailer, string agency, long minor, string currency) =>
        PaymentLines.Add($"{reference},{retailer},{agency},{minor},{currency},2026-11-03");

    /// <summary>Programme P-1's totals as the chaincode would keep them: issued 100000, the rest outstanding.</summary>
    public void BalanceProgramme()
    {
        var redeemed = Ledger.Redemptions.Where(r => r.Status != LedgerStatus.Rejected).Sum(r => r.Amount.Minor);
        var reversed = Ledger.Redemptions.Where(r => r.Status == LedgerStatus.Reversed).Sum(r => r.Amount.Minor);
        Ledger.Programmes.Clear();
        Ledger.Programmes.Add(new LedgerProgrammeTotals("P-1", "KES", 1_000_000, 100_000, redeemed, reversed, 0, 0, 100_000 - redeemed + reversed));
    }

    /// <summary>Signs a receipt with the terminal's real key (a cloned or misbehaving terminal, not a forgery).</summary>
    public SignedReceipt SignAs(string terminalId, Receipt receipt) => ReceiptEncoding.Sign(receipt, _keys[terminalId].Signer);


    /// <summary>The journals as export files (<c>T-1.ndjson</c>, ...), optionally edited line by line.</summary>
    public IReadOnlyList<IJournalSource> Files(Func<string, List<string>, List<string>>? edit = null) =>
        Journals.OrderBy(j => j.Key).Select(j =>
        {
            var lines = j.Value.Select(r => JsonSerializer.Serialize(r, JournalFile.Json)).ToList();
            var text = string.Join("\n", edit?.Invoke(j.Key, lines) ?? lines) + "\n";
            return (IJournalSource)new JournalFile($"{j.Key}.ndjson", () => new MemoryStream(Encoding.UTF8.GetBytes(text)));
        }).ToList();

    /// <summary>The journals as the service holds them (committed, signatures checked at intake).</summary>
    public IJournalSource Service(Func<SignedReceipt, string>? status = null) => new ListJournal(JournalOrigin.Service,
        Journals.Values.SelectMany(j => j).Select((r, i) => JournalLine.Of(JournalOrigin.Service, i + 1, r, signatureChecked: true, status?.Invoke(r) ?? "committed")).ToList());

    public PaymentStatement Statement(string header = Header) =>
        new("payments.csv", () => new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", PaymentLines.Prepend(header)) + "\n")));

    public async Task<List<Finding>> RunAsync(IReadOnlyList<IJournalSource>? journals = null, bool payments = true, ReconciliationScope? scope = null,
        bool resubmit = false, int runSize = 200_000)
    {
        using var result = await RunResultAsync(journals, payments, scope, resubmit, runSize);
        return result.Findings.ToList();
    }

    public Task<ReconciliationResult> RunResultAsync(IReadOnlyList<IJournalSource>? journals = null, bool payments = true, ReconciliationScope? scope = null,
        bool resubmit = false, int runSize = 200_000) =>
        new ReconciliationEngine(new ReconciliationOptions(_work, runSize)).RunAsync(scope ?? new ReconciliationScope(From, To),
            new ReconciliationInputs(Ledger, journals ?? Files(), payments ? Statement() : null, resubmit ? Resubmitter : null));

    public void Dispose()
    {
        foreach (var (key, signer) in _keys.Values.Concat(_retired)) { signer.Dispose(); key.Dispose(); }
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }
}
