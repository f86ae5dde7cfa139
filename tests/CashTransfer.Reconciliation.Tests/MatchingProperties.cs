using System.Text;
using System.Text.Json;
using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;
using CashTransfer.Reconciliation.Sources;
using FsCheck;
using FsCheck.Fluent;

namespace CashTransfer.Reconciliation.Tests;

/// <summary>
/// The matching does not depend on how the same inputs arrive: any order of the ledger's rows and the statement's
/// rows, any split of the journals between the service and export files (each receipt in at least one), and any sort
/// run size (from all in memory to one row per run on disk) give the same findings.
/// </summary>
public class MatchingProperties
{
    [Fact]
    public async Task Any_shuffle_or_split_of_the_same_inputs_gives_the_same_findings()
    {
        using var b = Troubled();
        var expected = Canonical(await b.RunAsync([b.Service()]));
        Assert.Equal(8, expected.Select(e => e.Split('|')[0]).Distinct().Count());

        var original = b.Ledger.Redemptions.ToList();
        var payments = b.PaymentLines.ToList();
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), Gen.Choose(1, 7).ToArbitrary(), (seed, runSize) =>
        {
            var random = new Random(seed);
            b.Ledger.Redemptions.Clear();
            b.Ledger.Redemptions.AddRange(original.OrderBy(_ => random.Next()));
            b.PaymentLines.Clear();
            b.PaymentLines.AddRange(payments.OrderBy(_ => random.Next()));
            // FsCheck's properties are synchronous; the run has no synchronisation context to deadlock on.
            var actual = Canonical(Task.Run(() => b.RunAsync(Split(b, random), runSize: runSize)).Result);
            return actual.SequenceEqual(expected).Label($"expected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", actual)}");
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Books with one of most kinds: a lost receipt, a ghost redemption, a changed one, a gap, a rejection, and payment differences.</summary>
    private static Books Troubled()
    {
        var b = Books.Clean();
        b.Sell("T-1", 701);
        b.RecordOnLedger(b.Sell("T-2", 90_000), "RT-2", LedgerStatus.Rejected, "InsufficientBalance");
        var ghost = b.Sell("T-2", 702);
        b.RecordOnLedger(ghost, "RT-2");
        b.Journals["T-2"].Remove(ghost);
        var gapped = b.Sell("T-1", 703);
        b.RecordOnLedger(gapped, "RT-1");
        b.RecordOnLedger(b.Sell("T-1", 704), "RT-1");
        b.Journals["T-1"].Remove(gapped);
        var i = b.Ledger.Redemptions.FindIndex(r => r.RedemptionId == "T-2:R0002");
        b.Ledger.Redemptions[i] = b.Ledger.Redemptions[i] with { ReceiptHash = new string('e', 64) };
        b.PaymentLines.RemoveAt(1);
        b.Pay("PAY-1", "RT-1", "WFPMSP", b.Settled("S-1"), "KES");
        b.Pay("PAY-7", "RT-2", "WFPMSP", 5, "KES");
        b.BalanceProgramme();
        return b;
    }

    /// <summary>Each receipt to the service, to its terminal's export file, or to both.</summary>
    private static List<IJournalSource> Split(Books b, Random random)
    {
        var service = new List<JournalLine>();
        var sources = new List<IJournalSource>();
        foreach (var (terminal, journal) in b.Journals.OrderBy(j => j.Key))
        {
            var file = new List<string>();
            foreach (var r in journal)
            {
                var where = random.Next(3);
                if (where != 1) service.Add(JournalLine.Of(JournalOrigin.Service, service.Count + 1, r, signatureChecked: true, "committed"));
                if (where != 0) file.Add(JsonSerializer.Serialize(r, JournalFile.Json));
            }
            var text = string.Join("\n", file);
            sources.Add(new JournalFile($"{terminal}.ndjson", () => new MemoryStream(Encoding.UTF8.GetBytes(text))));
        }
        sources.Insert(0, new ListJournal(JournalOrigin.Service, service.OrderBy(_ => random.Next()).ToList()));
        return sources;
    }

    private static List<string> Canonical(IEnumerable<Finding> findings) => findings
        .Select(f => string.Join("|", f.Kind, f.RedemptionId, f.TerminalId, f.Sequence, f.RetailerId, f.PaymentReference, f.SettlementId, Text(f.LedgerAmount), Text(f.OtherAmount)))
        .Order(StringComparer.Ordinal).ToList();

    private static string Text(Money? m) => m is null ? "" : $"{m.Minor} {m.Currency}";
}
