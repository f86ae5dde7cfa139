extern alias chaincode;
using CashTransfer.Contracts;
using CashTransfer.Gateway.Tests.Infrastructure;
using CashTransfer.Pos.Receipts;
using ChaincodeSignatures = chaincode::CashTransfer.Chaincode.Domain.ReceiptSignatures;

namespace CashTransfer.Gateway.Tests.Pos;

/// <summary>
/// Both sides share one encoding (CashTransfer.Contracts) but sign and verify with their own code: the POS SDK with the
/// terminal's ISigner, the chaincode with the registered PEM key. A terminal's signature must pass the chaincode's check,
/// and a request changed after signing must not.
/// </summary>
public sealed class ChaincodeVerifiesPosSignaturesTests
{
    private static readonly Receipt Sample = new("R-T1-000042", "T-1", 42, ReceiptEncoding.GenesisHash, new string('b', 64), new Money(1250, "KES"), "food", 1772366400000);

    [Fact]
    public void A_receipt_signed_by_the_pos_sdk_verifies_in_the_chaincode_and_a_changed_amount_does_not()
    {
        using var key = new TestKey();
        var signed = ReceiptEncoding.Sign(Sample, key.Signer);
        Assert.True(ChaincodeSignatures.Verify(key.PublicKeyPem, ReceiptEncoding.Encode(signed.Receipt), signed.Signature));
        Assert.False(ChaincodeSignatures.Verify(key.PublicKeyPem, ReceiptEncoding.Encode(Sample with { Amount = new Money(1251, "KES") }), signed.Signature));
        using var other = new TestKey();
        Assert.False(ChaincodeSignatures.Verify(other.PublicKeyPem, ReceiptEncoding.Encode(signed.Receipt), signed.Signature));
    }

    [Fact]
    public void A_reversal_signed_by_the_pos_sdk_verifies_in_the_chaincode_and_another_reason_does_not()
    {
        using var key = new TestKey();
        var signed = ReceiptEncoding.Sign(new ReversalRequest("R-1", "T-1", ReversalReasons.All[1], 1772370000000), key.Signer);
        Assert.True(ChaincodeSignatures.Verify(key.PublicKeyPem, ReceiptEncoding.Encode(new ReversalRequest("R-1", "T-1", ReversalReason.CashierError, 1772370000000)), signed.Signature));
        Assert.False(ChaincodeSignatures.Verify(key.PublicKeyPem, ReceiptEncoding.Encode(new ReversalRequest("R-1", "T-1", ReversalReason.Fraud, 1772370000000)), signed.Signature));
    }
}
