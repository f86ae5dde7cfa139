using System.Security.Cryptography;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;
using CashTransfer.Api.Signing;

namespace CashTransfer.Local;

/// <summary>
/// A simulated point-of-sale terminal: its own P-256 key, and a journal whose receipts are numbered and
/// hash-chained, each signed over the canonical receipt bytes (docs/receipt-encoding.md); it signs its
/// retailer's reversal requests the same way.
/// </summary>
public sealed class DemoTerminal : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly P256Signer _signer;
    private long _sequence;
    private string _previousHash = ReceiptEncoding.GenesisHash;

    public DemoTerminal(string terminalId, string retailerId)
    {
        TerminalId = terminalId;
        RetailerId = retailerId;
        _signer = new P256Signer(_key);
    }

    public string TerminalId { get; }
    public string RetailerId { get; }
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Records a sale in the journal and returns it signed.</summary>
    public SignedReceipt Sell(string beneficiaryHash, Money amount, string category)
    {
        var receipt = new Receipt(IdRules.NewRedemptionId(TerminalId), TerminalId, _sequence, _previousHash, beneficiaryHash, amount, category,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _sequence++;
        var signed = ReceiptEncoding.Sign(receipt, _signer);
        _previousHash = signed.Hash;
        return signed;
    }

    /// <summary>Asks, signed with this terminal's key, to reverse one of its retailer's redemptions.</summary>
    public SignedReversal RequestReversal(string redemptionId, ReversalReason reason)
    {
        var request = new ReversalRequest(redemptionId, TerminalId, reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return ReceiptEncoding.Sign(request, _signer);
    }

    public void Dispose() => _signer.Dispose();
}
