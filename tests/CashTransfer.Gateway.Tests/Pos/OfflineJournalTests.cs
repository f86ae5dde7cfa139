using System.Security.Cryptography;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Journal;
using CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Tests.Pos;

/// <summary>The terminal's offline journal: sequence numbers, hash chain, signatures, durability, batches.</summary>
public sealed class OfflineJournalTests
{
    [Fact]
    public async Task Sales_are_numbered_chained_signed_and_kept_across_a_reopen()
    {
        var path = Path.Combine(TempFolder.Create(), "journal.db");
        using var key = new TestKey();
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(key.PublicKeyPem);
        var receipts = new List<SignedReceipt>();
        await using (var journal = await OfflineJournal.OpenAsync(path, "T-1", key.Signer))
            for (int i = 0; i < 3; i++) receipts.Add(await journal.RecordSaleAsync(Beneficiaries.One, new Money(100 + i, "KES"), "food"));
        await using (var reopened = await OfflineJournal.OpenAsync(path, "T-1", key.Signer))
            receipts.Add(await reopened.RecordSaleAsync(Beneficiaries.Two, new Money(5, "KES"), "food"));

        Assert.Equal([1L, 2, 3, 4], receipts.Select(r => r.Receipt.Sequence));
        Assert.Equal(ReceiptEncoding.GenesisHash, receipts[0].Receipt.PreviousReceiptHash);
        for (int i = 1; i < receipts.Count; i++) Assert.Equal(receipts[i - 1].Hash, receipts[i].Receipt.PreviousReceiptHash);
        Assert.All(receipts, r => Assert.True(ReceiptEncoding.Verify(r, publicKey)));
        Assert.Equal(4, receipts.Select(r => r.Receipt.RedemptionId).Distinct().Count());
    }

    [Fact]
    public async Task A_malformed_sale_is_refused_and_takes_no_sequence_number()
    {
        using var key = new TestKey();
        await using var journal = await OfflineJournal.OpenAsync(Path.Combine(TempFolder.Create(), "j.db"), "T-1", key.Signer);
        await Assert.ThrowsAsync<ArgumentException>(() => journal.RecordSaleAsync("Amina Yusuf", new Money(100, "KES"), "food"));
        await Assert.ThrowsAsync<ArgumentException>(() => journal.RecordSaleAsync(Beneficiaries.One, new Money(100, "kes"), "food"));
        await Assert.ThrowsAsync<ArgumentException>(() => journal.RecordSaleAsync(Beneficiaries.One + "\n", new Money(100, "KES"), "food"));
        await Assert.ThrowsAsync<ArgumentException>(() => journal.RecordSaleAsync(Beneficiaries.One, new Money(100, "KES"), "food", redemptionId: "T-2:taken"));
        await Assert.ThrowsAsync<ArgumentException>(() => OfflineJournal.OpenAsync(Path.Combine(TempFolder.Create(), "k.db"), "T-1\n", key.Signer));
        var sale = (await journal.RecordSaleAsync(Beneficiaries.One, new Money(100, "KES"), "food")).Receipt;
        Assert.Equal(1, sale.Sequence);
        Assert.True(IdRules.IsRedemptionIdOf(sale.RedemptionId, "T-1"));
    }

    [Fact]
    public async Task A_pending_batch_keeps_its_receipts_and_key_until_acknowledged()
    {
        using var key = new TestKey();
        await using var journal = await OfflineJournal.OpenAsync(Path.Combine(TempFolder.Create(), "j.db"), "T-1", key.Signer);
        for (int i = 0; i < 5; i++) await journal.RecordSaleAsync(Beneficiaries.One, new Money(10, "KES"), "food");
        var first = (await journal.NextBatchAsync(3))!;
        await journal.RecordSaleAsync(Beneficiaries.One, new Money(10, "KES"), "food");
        var again = (await journal.NextBatchAsync(10))!;
        Assert.Equal((first.IdempotencyKey, 1L, 3L), (again.IdempotencyKey, again.FromSequence, again.ToSequence));
        await journal.AcknowledgeAsync(again);
        var next = (await journal.NextBatchAsync(10))!;
        Assert.Equal((4L, 6L), (next.FromSequence, next.ToSequence));
        Assert.NotEqual(first.IdempotencyKey, next.IdempotencyKey);
        await journal.AcknowledgeAsync(next);
        Assert.Null(await journal.NextBatchAsync(10));
        Assert.All(await journal.OutcomesAsync(), o => Assert.True(o.Acknowledged));
    }

    [Fact]
    public async Task A_journal_cannot_be_opened_for_another_terminal()
    {
        using var key = new TestKey();
        var path = Path.Combine(TempFolder.Create(), "j.db");
        await using (var journal = await OfflineJournal.OpenAsync(path, "T-1", key.Signer))
            await journal.RecordSaleAsync(Beneficiaries.One, new Money(10, "KES"), "food");
        await Assert.ThrowsAsync<InvalidOperationException>(() => OfflineJournal.OpenAsync(path, "T-2", key.Signer));
    }
}
