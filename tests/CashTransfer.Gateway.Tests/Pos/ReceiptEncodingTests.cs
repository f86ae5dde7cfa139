using System.Security.Cryptography;
using System.Text;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;
using Fabric.Protocol.Identity;
using Fabric.Ecdsa;

namespace CashTransfer.Gateway.Tests.Pos;

/// <summary>
/// The bytes a terminal signs (the shared CashTransfer.Contracts encoding, which the chaincode verifies), pinned
/// against the written rule, spelled out here byte by byte: tag, then fields in order; strings as 4-byte big-endian
/// length + UTF-8; integers 8-byte big-endian. Signing and verifying are the POS SDK's.
/// </summary>
public sealed class ReceiptEncodingTests
{
    private static readonly Receipt Sample = new("r-0001", "T-1", 7, new string('0', 64), new string('a', 64), new Money(1250, "KES"), "food", 1_772_000_000_123);

    [Fact]
    public void Encoding_follows_the_written_rule_byte_for_byte()
    {
        var expected = new List<byte>();
        void Str(string s) { var b = Encoding.UTF8.GetBytes(s); expected.AddRange([(byte)(b.Length >> 24), (byte)(b.Length >> 16), (byte)(b.Length >> 8), (byte)b.Length]); expected.AddRange(b); }
        void I64(long v) { for (int shift = 56; shift >= 0; shift -= 8) expected.Add((byte)(v >> shift)); }
        Str("cashtransfer/receipt/v1"); Str("r-0001"); Str("T-1"); I64(7); Str(new string('0', 64)); Str(new string('a', 64));
        I64(1250); Str("KES"); Str("food"); I64(1_772_000_000_123);

        Assert.Equal(expected.ToArray(), ReceiptEncoding.Encode(Sample));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray())), ReceiptEncoding.Hash(Sample));
        // The first bytes, as a fixed vector: length 23, "cash".
        Assert.Equal("00000017636173687472616e73666572", Convert.ToHexStringLower(ReceiptEncoding.Encode(Sample)[..16]));
    }

    [Fact]
    public void Every_field_is_covered_by_the_encoding()
    {
        var variants = new[]
        {
            Sample with { RedemptionId = "r-0002" }, Sample with { TerminalId = "T-2" }, Sample with { Sequence = 8 },
            Sample with { PreviousReceiptHash = new string('1', 64) }, Sample with { BeneficiaryHash = new string('b', 64) },
            Sample with { Amount = new Money(1251, "KES") }, Sample with { Amount = new Money(1250, "UGX") }, Sample with { Category = "hygiene" },
            Sample with { TerminalTimeUnixMs = 1_772_000_000_124 },
        };
        var hashes = variants.Select(ReceiptEncoding.Hash).Append(ReceiptEncoding.Hash(Sample)).ToHashSet();
        Assert.Equal(variants.Length + 1, hashes.Count);
    }

    [Fact]
    public void Signatures_are_low_s_der_and_verify_only_for_the_signed_receipt()
    {
        using var key = new TestKey();
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(key.PublicKeyPem);
        for (int i = 0; i < 20; i++)
        {
            var signed = ReceiptEncoding.Sign(Sample with { Sequence = i + 1 }, key.Signer);
            Assert.True(EcdsaSignatures.IsLowS(Convert.FromBase64String(signed.Signature)));
            Assert.True(ReceiptEncoding.Verify(signed, publicKey));
            Assert.False(ReceiptEncoding.Verify(signed with { Receipt = signed.Receipt with { Amount = new Money(1, "KES") } }, publicKey));
        }
        Assert.False(ReceiptEncoding.Verify(new SignedReceipt(Sample, "not base64!"), publicKey));
        Assert.False(ReceiptEncoding.Verify(new SignedReceipt(Sample, ""), publicKey));
    }

    [Fact]
    public void Receipt_rules_match_the_ledger_formats()
    {
        var valid = Sample with { Sequence = 1, RedemptionId = "T-1:r-0001" };
        Assert.Empty(ReceiptRules.Problems(valid));
        Assert.NotEmpty(ReceiptRules.Problems(valid with { Sequence = 0 }));
        Assert.NotEmpty(ReceiptRules.Problems(valid with { RedemptionId = "r-0001" }));     // not scoped to its terminal
        Assert.NotEmpty(ReceiptRules.Problems(valid with { RedemptionId = "T-2:r-0001" })); // another terminal's
        Assert.NotEmpty(ReceiptRules.Problems(valid with { Amount = new Money(Money.MaxMinor + 1, "KES") }));
        Assert.Empty(ReceiptRules.Problems(valid with { TerminalTimeUnixMs = UnixTime.MaxMs }));
        Assert.NotEmpty(ReceiptRules.Problems(valid with { TerminalTimeUnixMs = UnixTime.MaxMs + 1 }));
        foreach (var tail in new[] { "\n", "\r", "\0", "\t", "\u2028" })
        {
            Assert.NotEmpty(ReceiptRules.Problems(valid with { RedemptionId = valid.RedemptionId + tail }));
            Assert.NotEmpty(ReceiptRules.Problems(valid with { TerminalId = valid.TerminalId + tail }));
            Assert.NotEmpty(ReceiptRules.Problems(valid with { BeneficiaryHash = valid.BeneficiaryHash + tail }));
            Assert.NotEmpty(ReceiptRules.Problems(valid with { PreviousReceiptHash = valid.PreviousReceiptHash + tail }));
            Assert.NotEmpty(ReceiptRules.Problems(valid with { Category = valid.Category + tail }));
        }
        Assert.NotEmpty(ReceiptRules.Problems(Sample with { RedemptionId = "has space" }));
        Assert.NotEmpty(ReceiptRules.Problems(Sample with { BeneficiaryHash = new string('A', 64) }));
        Assert.NotEmpty(ReceiptRules.Problems(Sample with { Amount = new Money(-1, "KES") }));
        Assert.NotEmpty(ReceiptRules.Problems(Sample with { Amount = new Money(1, "kes") }));
        Assert.NotEmpty(ReceiptRules.Problems(Sample with { Category = "Food" }));
        Assert.NotEmpty(ReceiptRules.Problems(null));
    }
}
