using System.Security.Cryptography;

namespace CashTransfer.Contracts.Tests;

/// <summary>The canonical bytes: pinned to golden values, so that a change of the wire format cannot pass unnoticed.</summary>
public sealed class ReceiptEncodingTests
{
    // docs/receipt-encoding.md, receipt-example-hex and receipt-example-hash: what every terminal in the field signs.
    private const string GoldenReceiptHex =
        "00000017636173687472616e736665722f726563656970742f76310000000b522d54312d30303030343200000003542d31000000000000002a" +
        "0000004030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030" +
        "000000406233623165393564613238323664623463366531616665666432393135616365386239613064363133376234623434616132633130623737343435663434356300000000000004e2" +
        "0000000355534400000004666f6f640000019ca9450a00";
    private const string GoldenReceiptHash = "94754e6ffc6ad1d72f1bf95c69f9cfbe2b267489d20a1a893c640828a5129e7a";

    // docs/receipt-encoding.md, reversal-example-hex.
    private const string GoldenReversalHex =
        "00000018636173687472616e736665722f726576657273616c2f76310000000b522d54312d30303030343200000003542d310000000d476f6f647352657475726e65640000019ca97bf880";

    [Fact]
    public void The_example_receipt_encodes_to_the_golden_bytes_and_hash()
    {
        Assert.Equal(GoldenReceiptHex, Convert.ToHexStringLower(ReceiptEncoding.Encode(Examples.Receipt)));
        Assert.Equal(GoldenReceiptHash, ReceiptEncoding.Hash(Examples.Receipt));
        Assert.Equal(GoldenReceiptHash, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(GoldenReceiptHex))));
    }

    [Fact]
    public void The_example_reversal_encodes_to_the_golden_bytes_whether_the_reason_is_given_as_code_or_text()
    {
        Assert.Equal(GoldenReversalHex, Convert.ToHexStringLower(ReceiptEncoding.Encode(Examples.Reversal)));
        Assert.Equal(GoldenReversalHex, Convert.ToHexStringLower(ReceiptEncoding.Encode(new ReversalRequest("R-T1-000042", "T-1", "GoodsReturned", 1772370000000))));
    }

    [Fact]
    public void Every_field_changes_the_bytes_and_the_hash()
    {
        var hashes = Examples.ReceiptWithOneFieldChanged().Select(ReceiptEncoding.Hash).Append(ReceiptEncoding.Hash(Examples.Receipt)).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        Assert.Equal(10, hashes.Count);
    }

    [Fact]
    public void Length_prefixes_count_utf8_bytes_so_shifting_text_between_fields_gives_other_bytes()
    {
        var shifted = Examples.Receipt with { RedemptionId = "R-T1-00004", TerminalId = "2T-1" };
        Assert.NotEqual(ReceiptEncoding.Encode(Examples.Receipt), ReceiptEncoding.Encode(shifted));

        // "é" is one character and two UTF-8 bytes: the prefix says 2.
        var bytes = ReceiptEncoding.Encode(Examples.Receipt with { RedemptionId = "é" });
        var tagLength = 4 + ReceiptEncoding.ReceiptTag.Length;
        Assert.Equal("00000002c3a9", Convert.ToHexStringLower(bytes.AsSpan(tagLength, 6)));
    }

    [Fact]
    public void A_receipt_and_a_reversal_can_never_share_bytes_because_their_tags_differ()
    {
        Assert.NotEqual(ReceiptEncoding.ReceiptTag, ReceiptEncoding.ReversalTag);
        Assert.StartsWith("00000017" + Convert.ToHexStringLower("cashtransfer/receipt/v1"u8), Convert.ToHexStringLower(ReceiptEncoding.Encode(Examples.Receipt)));
        Assert.StartsWith("00000018" + Convert.ToHexStringLower("cashtransfer/reversal/v1"u8), Convert.ToHexStringLower(ReceiptEncoding.Encode(Examples.Reversal)));
    }

    [Fact]
    public void The_genesis_hash_is_64_zeros()
    {
        Assert.Equal(new string('0', 64), ReceiptEncoding.GenesisHash);
        Assert.Equal(ReceiptEncoding.GenesisHash, Examples.Receipt.PreviousReceiptHash);
    }

    [Fact]
    public void A_signature_over_the_encoding_verifies_and_any_changed_field_breaks_it()
    {
        using var terminal = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signed = new SignedReceipt(Examples.Receipt, Convert.ToBase64String(
            terminal.SignData(ReceiptEncoding.Encode(Examples.Receipt), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));

        using var registered = ECDsa.Create();
        registered.ImportFromPem(terminal.ExportSubjectPublicKeyInfoPem());
        bool Verifies(Receipt r) => registered.VerifyData(ReceiptEncoding.Encode(r), Convert.FromBase64String(signed.Signature),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.True(Verifies(signed.Receipt));
        Assert.All(Examples.ReceiptWithOneFieldChanged(), changed => Assert.False(Verifies(changed)));
        Assert.Equal(ReceiptEncoding.Hash(Examples.Receipt), signed.Hash);
    }

    [Fact]
    public void A_receipt_with_a_missing_field_is_refused_with_the_fields_name()
    {
        Assert.Contains("terminalId", Assert.Throws<ArgumentException>(() => ReceiptEncoding.Encode(Examples.Receipt with { TerminalId = null! })).Message);
        Assert.Contains("amount", Assert.Throws<ArgumentException>(() => ReceiptEncoding.Encode(Examples.Receipt with { Amount = null! })).Message);
        Assert.Contains("amount.currency", Assert.Throws<ArgumentException>(() => ReceiptEncoding.Encode(Examples.Receipt with { Amount = new Money(1, null!) })).Message);
        Assert.Contains("reason", Assert.Throws<ArgumentException>(() => ReceiptEncoding.Encode(Examples.Reversal with { Reason = null! })).Message);
    }
}
