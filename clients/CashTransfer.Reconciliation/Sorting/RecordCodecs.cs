using CashTransfer.Contracts;
using CashTransfer.Reconciliation.Model;

namespace CashTransfer.Reconciliation.Sorting;

/// <summary>Binary run-file codecs of the records the reconciliation sorts.</summary>
public static class RecordCodecs
{
    public static readonly IRecordCodec<LedgerRedemption> Redemption = new RedemptionCodec();
    public static readonly IRecordCodec<JournalLine> Journal = new JournalCodec();

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private sealed class RedemptionCodec : IRecordCodec<LedgerRedemption>
    {
        public void Write(BinaryWriter w, LedgerRedemption x)
        {
            w.Write(x.RedemptionId); w.Write(x.TerminalId); w.Write(x.RetailerId); w.Write(x.Sequence); w.Write(x.ReceiptHash);
            w.Write(x.Amount.Minor); w.Write(x.Amount.Currency); w.Write(x.Status); WriteOptional(w, x.RejectionCode);
            w.Write(x.RecordedAt.UtcTicks);
            w.Write(x.Allocations.Count);
            foreach (var a in x.Allocations) { w.Write(a.ProgrammeId); w.Write(a.OwnerMsp); w.Write(a.AmountMinor); }
        }

        public LedgerRedemption Read(BinaryReader r)
        {
            var (id, terminal, retailer, sequence, hash) = (r.ReadString(), r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadString());
            var amount = new Money(r.ReadInt64(), r.ReadString());
            var (status, rejection, recorded) = (r.ReadString(), ReadOptional(r), new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero));
            var allocations = new LedgerAllocation[r.ReadInt32()];
            for (int i = 0; i < allocations.Length; i++) allocations[i] = new LedgerAllocation(r.ReadString(), r.ReadString(), r.ReadInt64());
            return new LedgerRedemption(id, terminal, retailer, sequence, hash, amount, status, rejection, recorded, allocations);
        }
    }

    /// <summary>Only well-formed lines are sorted (malformed ones are reported as they are read).</summary>
    private sealed class JournalCodec : IRecordCodec<JournalLine>
    {
        public void Write(BinaryWriter w, JournalLine x)
        {
            var s = x.Receipt ?? throw new InvalidOperationException("A malformed journal line is reported, not sorted.");
            var c = s.Receipt;
            w.Write(x.Source); w.Write(x.Line); w.Write(x.ReceiptHash!); w.Write(x.SignatureChecked); WriteOptional(w, x.ServiceStatus);
            w.Write(c.RedemptionId); w.Write(c.TerminalId); w.Write(c.Sequence); w.Write(c.PreviousReceiptHash); w.Write(c.BeneficiaryHash);
            w.Write(c.Amount.Minor); w.Write(c.Amount.Currency); w.Write(c.Category); w.Write(c.TerminalTimeUnixMs); w.Write(s.Signature);
        }

        public JournalLine Read(BinaryReader r)
        {
            var (source, line, hash, checkedSignature, status) = (r.ReadString(), r.ReadInt64(), r.ReadString(), r.ReadBoolean(), ReadOptional(r));
            var receipt = new Receipt(r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadString(), r.ReadString(), new Money(r.ReadInt64(), r.ReadString()),
                r.ReadString(), r.ReadInt64());
            return new JournalLine(source, line, new SignedReceipt(receipt, r.ReadString()), hash, null, checkedSignature, status);
        }
    }
}
