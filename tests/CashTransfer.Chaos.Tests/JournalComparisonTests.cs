using CashTransfer.Chaos.Chaos;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using CashTransfer.Pos.Journal;

namespace CashTransfer.Chaos.Tests;

public class JournalComparisonTests
{
    private static LedgerRedemption OnLedger(string id, long sequence, string status = "Accepted", string terminal = "t1") =>
        new(id, terminal, "shop", sequence, new Money(100, "JOD"), status);

    private static Dictionary<string, (string, IReadOnlyList<JournalOutcome>)> Journal(params JournalOutcome[] receipts) => new() { ["t1"] = ("", receipts) };

    [Fact]
    public void A_journal_that_matches_the_ledger_has_nothing_lost_doubled_or_undecided()
    {
        var result = JournalComparison.Compare(Journal(new JournalOutcome("a", 1, true, "committed", null), new("b", 2, true, "committed", null)), [OnLedger("a", 1), OnLedger("b", 2)]).Single();
        Assert.Equal((2, 2, 0, 0, 0, 0), (result.Acknowledged, result.Committed, result.Lost, result.Doubled, result.Undecided, result.NotAcknowledged));
    }

    [Fact]
    public void An_acknowledged_receipt_missing_from_the_ledger_is_lost_and_one_still_pending_is_undecided()
    {
        var result = JournalComparison.Compare(Journal(new JournalOutcome("a", 1, true, "submitted", null)), []).Single();
        Assert.Equal(1, result.Lost);
        Assert.Equal(1, result.Undecided);
    }

    [Fact]
    public void An_acknowledged_valid_sale_rejected_on_the_ledger_is_lost_with_its_reason()
    {
        var result = JournalComparison.Compare(Journal(new JournalOutcome("a", 1, true, "rejected", "TerminalSuspended")), [OnLedger("a", 1, "Rejected")]).Single();
        Assert.Equal(1, result.Lost);
        Assert.Equal(1, result.RejectionReasons["TerminalSuspended"]);
        Assert.Equal(0, result.Undecided);
    }

    [Fact]
    public void A_journal_position_on_the_ledger_twice_or_a_redemption_in_no_journal_is_doubled()
    {
        var result = JournalComparison.Compare(Journal(new JournalOutcome("a", 1, true, "committed", null)), [OnLedger("a", 1), OnLedger("a-copy", 1)]).Single();
        Assert.Equal(2, result.Doubled); // position 1 twice, and a-copy in no journal
    }

    [Fact]
    public void A_receipt_never_acknowledged_is_counted_apart_and_not_as_lost()
    {
        var result = JournalComparison.Compare(Journal(new JournalOutcome("a", 1, false, null, null)), []).Single();
        Assert.Equal((0, 1), (result.Lost, result.NotAcknowledged));
    }
}
