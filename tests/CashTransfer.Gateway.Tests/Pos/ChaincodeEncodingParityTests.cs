extern alias chaincode;
using System.Security.Cryptography;
using CashTransfer.Gateway.Tests.Infrastructure;
using Cc = chaincode::CashTransfer.Chaincode.Domain;
using PosSdk = CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Tests.Pos;

/// <summary>
/// Guards against drift between the POS SDK's receipt encoding and the chaincode's: the same receipt must give the
/// same bytes, the same hash, and a POS signature must verify with the chaincode's verifier.
/// </summary>
public sealed class ChaincodeEncodingParityTests
{
    private static IEnumerable<PosSdk.Receipt> Receipts()
    {
        var random = new Random(7);
        string Hex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string[] ids = ["R-T1-000042", "a", "x.y_z:1-2", new string('9', 64)];
        string[] currencies = ["USD", "KES", "JOD", "UGX"];
        string[] categories = ["food", "hygiene", "a", "fuel-2"];
        for (int i = 0; i < 200; i++)
            yield return new PosSdk.Receipt(ids[i % ids.Length] + (i > 3 ? i.ToString() : ""), "T-" + random.Next(1, 1000), random.NextInt64(0, long.MaxValue),
                i == 0 ? PosSdk.ReceiptEncoding.GenesisHash : Hex(), Hex(), new PosSdk.Money(random.NextInt64(1, long.MaxValue), currencies[i % 4]), categories[(i / 4) % 4],
                random.NextInt64(0, 4_000_000_000_000));
    }

    private static Cc.Receipt ToChaincode(PosSdk.Receipt r) =>
        new(r.RedemptionId, r.TerminalId, r.Sequence, r.PreviousReceiptHash, r.BeneficiaryHash, new Cc.Money(r.Amount.Minor, r.Amount.Currency), r.Category, r.TerminalTimeUnixMs);

    [Fact]
    public void The_pos_sdk_encodes_and_hashes_every_receipt_exactly_as_the_chaincode()
    {
        foreach (var receipt in Receipts())
        {
            Assert.Equal(Cc.ReceiptEncoding.Encode(ToChaincode(receipt)), PosSdk.ReceiptEncoding.Encode(receipt));
            Assert.Equal(Cc.ReceiptEncoding.Hash(ToChaincode(receipt)), PosSdk.ReceiptEncoding.Hash(receipt));
        }
    }

    [Fact]
    public void The_documented_example_matches_the_pos_sdk()
    {
        var example = new PosSdk.Receipt("R-T1-000042", "T-1", 42, new string('0', 64), "b3b1e95da2826db4c6e1afefd2915ace8b9a0d6137b4b44aa2c10b77445f445c",
            new PosSdk.Money(1250, "USD"), "food", 1772366400000);
        Assert.Equal("94754e6ffc6ad1d72f1bf95c69f9cfbe2b267489d20a1a893c640828a5129e7a", PosSdk.ReceiptEncoding.Hash(example));
    }

    [Fact]
    public void A_pos_signature_verifies_with_the_chaincodes_verifier()
    {
        using var key = new TestKey();
        foreach (var receipt in Receipts().Take(20))
        {
            var signed = PosSdk.ReceiptEncoding.Sign(receipt, key.Signer);
            Assert.True(Cc.ReceiptEncoding.Verify(key.PublicKeyPem, Cc.ReceiptEncoding.Encode(ToChaincode(receipt)), signed.Signature));
        }
    }

    [Fact]
    public void Reversal_requests_encode_exactly_as_the_chaincode_and_match_the_documented_example()
    {
        foreach (var reason in PosSdk.ReversalReasons.All)
            foreach (var (id, terminal, time) in new[] { ("R-T1-000042", "T-1", 1772370000000L), ("x.y_z:1-2", new string('T', 64), 0L), ("a", "b", long.MaxValue) })
            {
                var request = new PosSdk.ReversalRequest(id, terminal, reason, time);
                var onChaincode = new Cc.ReversalRequest(id, terminal, Enum.Parse<Cc.ReversalReason>(reason), time);
                Assert.Equal(Cc.ReceiptEncoding.Encode(onChaincode), PosSdk.ReceiptEncoding.Encode(request));
            }
        // docs/receipt-encoding.md, reversal-example-hex
        Assert.Equal("00000018636173687472616e736665722f726576657273616c2f76310000000b522d54312d30303030343200000003542d310000000d476f6f647352657475726e65640000019ca97bf880",
            Convert.ToHexStringLower(PosSdk.ReceiptEncoding.Encode(new PosSdk.ReversalRequest("R-T1-000042", "T-1", "GoodsReturned", 1772370000000))));
        // Every reason the SDK offers is one the chaincode accepts, and no other.
        Assert.Equal(Enum.GetNames<Cc.ReversalReason>().Order(), PosSdk.ReversalReasons.All.Order());
    }

    [Fact]
    public void A_pos_reversal_signature_verifies_with_the_chaincodes_verifier_and_a_changed_request_does_not()
    {
        using var key = new TestKey();
        var signed = PosSdk.ReceiptEncoding.Sign(new PosSdk.ReversalRequest("R-1", "T-1", "CashierError", 1772370000000), key.Signer);
        Assert.True(Cc.ReceiptEncoding.Verify(key.PublicKeyPem, Cc.ReceiptEncoding.Encode(new Cc.ReversalRequest("R-1", "T-1", Cc.ReversalReason.CashierError, 1772370000000)), signed.Signature));
        Assert.False(Cc.ReceiptEncoding.Verify(key.PublicKeyPem, Cc.ReceiptEncoding.Encode(new Cc.ReversalRequest("R-1", "T-1", Cc.ReversalReason.Fraud, 1772370000000)), signed.Signature));
    }
}
