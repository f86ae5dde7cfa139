using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using Fabric.Protocol.Identity;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary>The documented receipt encoding (docs/receipt-encoding.md) is what the chaincode verifies.</summary>
public class ReceiptEncodingTests
{
    private static readonly Receipt Example = new("R-T1-000042", "T-1", 42, new string('0', 64),
        "b3b1e95da2826db4c6e1afefd2915ace8b9a0d6137b4b44aa2c10b77445f445c", new Money(1250, "USD"), "food", 1772366400000);

    private static string DocBlock(string marker)
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "receipt-encoding.md"));
        var match = Regex.Match(doc, $"<!-- {marker} -->\\s*```\\s*([0-9a-f]+)\\s*```");
        Assert.True(match.Success, $"docs/receipt-encoding.md lacks the {marker} block.");
        return match.Groups[1].Value;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CashTransfer.sln"))) return dir.FullName;
        throw new InvalidOperationException("No folder above the test binaries holds CashTransfer.sln.");
    }

    [Fact]
    public void The_documented_example_bytes_and_hash_are_what_the_code_produces()
    {
        Assert.Equal(Example.BeneficiaryHash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("example-beneficiary"))));
        Assert.Equal(DocBlock("receipt-example-hex"), Convert.ToHexStringLower(ReceiptEncoding.Encode(Example)));
        Assert.Equal(DocBlock("receipt-example-hash"), ReceiptEncoding.Hash(Example));
        var reversal = new ReversalRequest("R-T1-000042", "T-1", ReversalReason.GoodsReturned, 1772370000000);
        Assert.Equal(DocBlock("reversal-example-hex"), Convert.ToHexStringLower(ReceiptEncoding.Encode(reversal)));
    }

    [Fact]
    public void Every_field_is_covered_by_the_signature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        var signature = Convert.ToBase64String(new EcdsaSigner(key).Sign(ReceiptEncoding.Encode(Example)));
        Assert.True(ReceiptEncoding.Verify(pem, ReceiptEncoding.Encode(Example), signature));
        foreach (var changed in new[]
        {
            Example with { RedemptionId = "R-T1-000043" }, Example with { TerminalId = "T-2" }, Example with { Sequence = 43 },
            Example with { PreviousReceiptHash = new string('1', 64) }, Example with { BeneficiaryHash = new string('a', 64) },
            Example with { Amount = new Money(1251, "USD") }, Example with { Amount = new Money(1250, "EUR") },
            Example with { Category = "fuel" }, Example with { TerminalTimeUnixMs = 1772366400001 },
        })
            Assert.False(ReceiptEncoding.Verify(pem, ReceiptEncoding.Encode(changed), signature));
    }

    [Fact]
    public void A_high_S_signature_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = ReceiptEncoding.Encode(Example);
        var low = new EcdsaSigner(key).Sign(message);
        var high = HighS(low);
        Assert.True(key.VerifyData(message, high, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(ReceiptEncoding.Verify(key.ExportSubjectPublicKeyInfoPem(), message, Convert.ToBase64String(high)));
    }

    [Fact]
    public void Kept_keys_verify_only_their_own_signatures_also_after_the_thread_dropped_them()
    {
        var message = ReceiptEncoding.Encode(Example);
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var firstPem = first.ExportSubjectPublicKeyInfoPem();
        var otherPem = other.ExportSubjectPublicKeyInfoPem();
        var byFirst = Convert.ToBase64String(new EcdsaSigner(first).Sign(message));
        var byOther = Convert.ToBase64String(new EcdsaSigner(other).Sign(message));

        for (int round = 0; round < 2; round++)   // the second round verifies with the keys kept by the first
        {
            Assert.True(ReceiptEncoding.Verify(firstPem, message, byFirst));
            Assert.False(ReceiptEncoding.Verify(firstPem, message, byOther));
            Assert.True(ReceiptEncoding.Verify(otherPem, message, byOther));
            Assert.False(ReceiptEncoding.Verify(otherPem, message, byFirst));
        }
        // More distinct keys than a thread keeps: the first key is dropped, imported again, and still right.
        for (int i = 0; i < ReceiptSignatures.KeysKeptPerThread; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Assert.False(ReceiptEncoding.Verify(key.ExportSubjectPublicKeyInfoPem(), message, byFirst));
        }
        Assert.True(ReceiptEncoding.Verify(firstPem, message, byFirst));
        Assert.False(ReceiptEncoding.Verify(firstPem, message, byOther));
    }

    [Fact]
    public void A_key_that_is_not_a_PEM_ECDSA_key_verifies_nothing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = ReceiptEncoding.Encode(Example);
        var signature = Convert.ToBase64String(new EcdsaSigner(key).Sign(message));

        Assert.False(ReceiptEncoding.Verify("not a key", message, signature));
        Assert.False(ReceiptEncoding.Verify("not a key", message, signature));   // the refusal is kept as well
        using var rsa = RSA.Create(2048);
        Assert.False(ReceiptEncoding.Verify(rsa.ExportSubjectPublicKeyInfoPem(), message, signature));
    }

    private static byte[] HighS(byte[] der)
    {
        var order = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var (r, s) = (reader.ReadInteger(), reader.ReadInteger());
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence()) { writer.WriteInteger(r); writer.WriteInteger(order - s); }
        return writer.Encode();
    }
}
