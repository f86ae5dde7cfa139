using System.Security.Cryptography;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using CashTransfer.Reconciliation.Findings;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Tests;

/// <summary>Each kind of finding from books that break exactly one rule; clean books give none.</summary>
public class FindingKindTests
{
    private static string[] Kinds(IEnumerable<Finding> findings) => findings.Select(f => f.Kind).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Clean_books_give_no_finding()
    {
        using var b = Books.Clean();
        using var result = await b.RunResultAsync();
        Assert.Empty(result.Findings);
        Assert.False(result.NeedsAction);
        Assert.Equal(10, result.Counts.LedgerRedemptions);
        Assert.Equal(10, result.Counts.JournalCopiesMatched);
        Assert.Equal(2, result.Counts.Payments);
    }

    [Fact]
    public async Task A_signed_receipt_the_ledger_lacks_is_missing_on_ledger_and_resubmitted_when_asked()
    {
        using var b = Books.Clean();
        var lost = b.Sell("T-1", 777);
        var findings = await b.RunAsync(resubmit: true);
        var f = Assert.Single(findings);
        Assert.Equal(FindingKinds.ReceiptMissingOnLedger, f.Kind);
        Assert.Equal(lost.Receipt.RedemptionId, f.RedemptionId);
        Assert.Equal(777, f.OtherAmount!.Minor);
        Assert.True(f.Resubmitted);
        Assert.Equal(lost, Assert.Single(b.Resubmitter.Resubmitted));
        Assert.Equal("T-1.ndjson", f.Source);
        Assert.Equal(6, f.Line);
    }

    [Fact]
    public async Task A_receipt_recorded_after_the_period_is_not_missing()
    {
        using var b = Books.Clean();
        var late = b.Sell("T-1", 50);
        b.Ledger.Redemptions.Add(b.RecordOnLedger(late, "RT-1") with { RecordedAt = Books.To.AddMinutes(5) });
        b.Ledger.Redemptions.RemoveAt(b.Ledger.Redemptions.Count - 2);
        b.BalanceProgramme();
        Assert.Empty(await b.RunAsync());
    }

    [Fact]
    public async Task A_ledger_redemption_no_journal_holds_is_missing_from_journal()
    {
        using var b = Books.Clean();
        var ghost = b.Sell("T-2", 300);
        b.RecordOnLedger(ghost, "RT-2");
        b.Journals["T-2"].Remove(ghost);
        b.BalanceProgramme();
        var f = Assert.Single(await b.RunAsync());
        Assert.Equal(FindingKinds.RedemptionMissingFromJournal, f.Kind);
        Assert.Equal(300, f.LedgerAmount!.Minor);
        Assert.Equal("RT-2", f.RetailerId);
    }

    [Fact]
    public async Task Same_redemption_id_with_other_content_is_a_content_mismatch()
    {
        using var b = Books.Clean();
        var i = b.Ledger.Redemptions.FindIndex(r => r.RedemptionId == "T-1:R0003");
        b.Ledger.Redemptions[i] = b.Ledger.Redemptions[i] with { ReceiptHash = new string('f', 64) };
        var f = Assert.Single(await b.RunAsync());
        Assert.Equal(FindingKinds.ReceiptContentMismatch, f.Kind);
        Assert.Equal("T-1:R0003", f.RedemptionId);
        Assert.Equal(Severity.Critical, f.Severity);
    }

    [Fact]
    public async Task A_bad_signature_in_a_journal_file_is_its_own_kind_and_never_resubmitted()
    {
        using var b = Books.Clean();
        var sale = b.Sell("T-1", 90);
        b.Journals["T-1"][^1] = sale with { Signature = b.Journals["T-1"][0].Signature };
        var findings = await b.RunAsync(resubmit: true);
        var f = Assert.Single(findings);
        Assert.Equal(FindingKinds.ReceiptSignatureInvalid, f.Kind);
        Assert.Equal(6, f.Line);
        Assert.Empty(b.Resubmitter.Resubmitted);
    }

    [Fact]
    public async Task Receipts_signed_with_the_old_key_before_a_routine_rotation_are_genuine()
    {
        using var b = Books.Clean(); // T-1's five sales, one an hour from the start, signed with its first key
        b.RotateKey("T-1", Books.From.AddHours(5.5));
        b.RecordOnLedger(b.Sell("T-1", 150), "RT-1"); // the sixth, an hour later, with the new key
        b.BalanceProgramme();
        Assert.Empty(await b.RunAsync());

        // A key the terminal never had is still no evidence.
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new P256Signer(stranger);
        b.Journals["T-1"][2] = ReceiptEncoding.Sign(b.Journals["T-1"][2].Receipt, signer);
        Assert.Contains(FindingKinds.ReceiptSignatureInvalid, Kinds(await b.RunAsync()));
    }

    [Fact]
    public async Task A_truncated_journal_file_reports_the_cut_line()
    {
        using var b = Books.Clean();
        var findings = await b.RunAsync(b.Files((terminal, lines) => terminal == "T-2" ? [.. lines.Take(4), lines[4][..40]] : lines));
        Assert.Equal([FindingKinds.JournalMalformed, FindingKinds.RedemptionMissingFromJournal], Kinds(findings));
        var malformed = findings.Single(f => f.Kind == FindingKinds.JournalMalformed);
        Assert.Equal(("T-2.ndjson", 5L), (malformed.Source, malformed.Line));
    }

    [Fact]
    public async Task A_receipt_of_another_terminal_in_a_journal_file_is_malformed()
    {
        using var b = Books.Clean();
        var stranger = System.Text.Json.JsonSerializer.Serialize(b.Journals["T-2"][0], Sources.JournalFile.Json);
        var findings = await b.RunAsync([b.Service(), .. b.Files((terminal, lines) => terminal == "T-1" ? [.. lines, stranger] : lines)]);
        var f = Assert.Single(findings);
        Assert.Equal(FindingKinds.JournalMalformed, f.Kind);
        Assert.Contains("terminal T-2", f.Evidence);
    }

    [Fact]
    public async Task A_receipt_missing_from_the_middle_of_a_journal_is_a_gap()
    {
        using var b = Books.Clean();
        var findings = await b.RunAsync(b.Files((terminal, lines) => terminal == "T-1" ? lines.Where((_, i) => i != 2).ToList() : lines));
        Assert.Equal([FindingKinds.JournalGap, FindingKinds.RedemptionMissingFromJournal], Kinds(findings));
        var gap = findings.Single(f => f.Kind == FindingKinds.JournalGap);
        Assert.Equal(("T-1", 3L), (gap.TerminalId, gap.Sequence));
    }

    [Fact]
    public async Task Two_receipts_at_one_sequence_number_are_a_fork()
    {
        using var b = Books.Clean();
        var service = b.Service();
        var second = b.Journals["T-2"][1].Receipt;
        // A file from a cloned terminal: another sale at sequence 2, signed with the terminal's real key.
        b.Journals["T-2"][1] = b.SignAs("T-2", second with { RedemptionId = "T-2:RIVAL", Amount = second.Amount with { Minor = 999 } });
        var findings = await b.RunAsync([service, .. b.Files()]);
        Assert.Equal([FindingKinds.JournalFork, FindingKinds.ReceiptMissingOnLedger], Kinds(findings));
        Assert.Contains(findings, f => f.Kind == FindingKinds.JournalFork && f.Sequence == 2 && f.TerminalId == "T-2");
        Assert.Contains(findings, f => f.Kind == FindingKinds.ReceiptMissingOnLedger && f.RedemptionId == "T-2:RIVAL");
    }

    [Fact]
    public async Task A_changed_receipt_breaks_the_hash_chain_of_the_next()
    {
        using var b = Books.Clean();
        b.Journals["T-1"][1] = b.SignAs("T-1", b.Journals["T-1"][1].Receipt with { Category = "fuel" });
        var findings = await b.RunAsync();
        Assert.Contains(findings, f => f.Kind == FindingKinds.JournalFork && f.Sequence == 3 && f.TerminalId == "T-1");
        Assert.Contains(findings, f => f.Kind == FindingKinds.ReceiptContentMismatch && f.RedemptionId == "T-1:R0002");
    }

    [Fact]
    public async Task A_rejected_receipt_is_information_only()
    {
        using var b = Books.Clean();
        b.RecordOnLedger(b.Sell("T-1", 10_000), "RT-1", LedgerStatus.Rejected, "InsufficientBalance");
        using var result = await b.RunResultAsync();
        var f = Assert.Single(result.Findings);
        Assert.Equal((FindingKinds.ReceiptRejected, Severity.Info), (f.Kind, f.Severity));
        Assert.Contains("InsufficientBalance", f.Evidence);
        Assert.False(result.NeedsAction);
    }

    [Fact]
    public async Task A_receipt_the_service_still_submits_is_in_flight_not_missing()
    {
        using var b = Books.Clean();
        var pending = b.Sell("T-1", 55);
        var findings = await b.RunAsync([b.Service(r => r == pending ? "submitted" : "committed")]);
        var f = Assert.Single(findings);
        Assert.Equal((FindingKinds.ReceiptInFlight, Severity.Info), (f.Kind, f.Severity));
    }

    [Fact]
    public async Task A_settlement_without_payment_is_payment_missing()
    {
        using var b = Books.Clean();
        b.PaymentLines.RemoveAt(1);
        var f = Assert.Single(await b.RunAsync());
        Assert.Equal((FindingKinds.PaymentMissing, "S-2", "PAY-2"), (f.Kind, f.SettlementId, f.PaymentReference));
        Assert.Equal(b.Settled("S-2"), f.LedgerAmount!.Minor);
    }

    [Fact]
    public async Task Payments_are_matched_by_reference_amount_currency_and_payee()
    {
        using var b = Books.Clean();
        b.PaymentLines.Clear();
        b.Pay("PAY-1", "RT-1", "WFPMSP", b.Settled("S-1") + 5, "KES");
        b.Pay("PAY-2", "RT-2", "WFPMSP", b.Settled("S-2"), "USD");
        b.Pay("PAY-9", "RT-2", "WFPMSP", 400, "KES");
        b.Pay("PAY-2", "RT-9", "WFPMSP", b.Settled("S-2"), "KES");
        b.Pay("PAY-2", "RT-2", "WFPMSP", b.Settled("S-2"), "KES");
        var findings = await b.RunAsync();
        Assert.Equal([FindingKinds.PaymentAmountMismatch, FindingKinds.PaymentCurrencyMismatch, FindingKinds.PaymentDuplicate, FindingKinds.PaymentPayeeMismatch,
            FindingKinds.PaymentUnknown], Kinds(findings));
        var over = findings.Single(f => f.Kind == FindingKinds.PaymentAmountMismatch);
        Assert.Equal((b.Settled("S-1"), b.Settled("S-1") + 5), (over.LedgerAmount!.Minor, over.OtherAmount!.Minor));
        Assert.Equal(4, findings.Single(f => f.Kind == FindingKinds.PaymentUnknown).Line);
    }

    [Fact]
    public async Task A_malformed_payment_row_is_reported_with_its_line()
    {
        using var b = Books.Clean();
        b.PaymentLines.Insert(1, "PAY-X,RT-1,WFPMSP,12.50,KES,2026-11-03");
        b.PaymentLines.Add("\"PAY-Y,RT-1");
        var findings = await b.RunAsync();
        Assert.Equal([3L, 5L], findings.Where(f => f.Kind == FindingKinds.PaymentMalformed).Select(f => f.Line!.Value).Order().ToArray());
        Assert.Single(findings, f => f.Kind == FindingKinds.PaymentMalformed && f.Evidence.Contains("12.50"));
        Assert.Equal(2, findings.Count);
    }

    [Fact]
    public async Task A_statement_with_the_wrong_header_stops_the_run_with_a_clear_error()
    {
        using var b = Books.Clean();
        var engine = new ReconciliationEngine(new ReconciliationOptions(Path.GetTempPath()));
        var e = await Assert.ThrowsAsync<ReconciliationInputException>(() => engine.RunAsync(new ReconciliationScope(Books.From, Books.To),
            new ReconciliationInputs(b.Ledger, b.Files(), b.Statement("reference,retailer,amount"))));
        Assert.Contains("paymentReference", e.Message);
    }

    [Fact]
    public async Task Payables_older_than_the_cut_off_are_overdue()
    {
        using var b = Books.Clean();
        var findings = await b.RunAsync(scope: new ReconciliationScope(Books.From, Books.To, PayableCutOff: Books.From.AddHours(4)));
        var f = Assert.Single(findings);
        Assert.Equal((FindingKinds.PayableOverdue, "RT-1"), (f.Kind, f.RetailerId));
        Assert.Equal(102, f.LedgerAmount!.Minor);
    }

    [Fact]
    public async Task Broken_programme_totals_and_retailer_payables_are_ledger_defects()
    {
        using var b = Books.Clean();
        b.Ledger.Programmes[0] = b.Ledger.Programmes[0] with { Outstanding = b.Ledger.Programmes[0].Outstanding - 1 };
        b.Ledger.Payables.RemoveAt(0);
        var findings = await b.RunAsync();
        Assert.Equal([FindingKinds.ProgrammeTotalsBroken, FindingKinds.RetailerPayableBroken], Kinds(findings));
        Assert.All(findings, f => Assert.Equal(Severity.Critical, f.Severity));
    }

    [Fact]
    public async Task Narrowing_to_a_retailer_leaves_the_other_retailer_out()
    {
        using var b = Books.Clean();
        b.Journals["T-2"].RemoveAt(4);
        Assert.NotEmpty(await b.RunAsync(scope: new ReconciliationScope(Books.From, Books.To, RetailerId: "RT-2")));
        Assert.Empty(await b.RunAsync(scope: new ReconciliationScope(Books.From, Books.To, RetailerId: "RT-1")));
    }
}
