using Fabric.Ecdsa;
using System.Security.Cryptography;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;

namespace CashTransfer.Pos.Receipts;

/// <summary>
/// Judges signed receipts against their terminal's key history with <see cref="KeyInForceRule"/>, the rule the chaincode
/// applies: the gateway service's intake and reconciliation use it, so that a receipt signed with a key the terminal has
/// since replaced counts as the terminal's own. Each PEM key is imported once and kept for the ring's life (one batch,
/// one reconciliation run).
/// </summary>
/// <example><code>using var ring = new TerminalKeyRing();
/// var standing = ring.Judge(history, signed, acknowledgedAt: null);
/// if (!standing.Signed) { /* no key the terminal ever had signed it */ }</code></example>
public sealed class TerminalKeyRing : IDisposable
{
    private readonly Dictionary<string, ECDsa?> _keys = new(StringComparer.Ordinal);

    public KeyStanding Judge(TerminalKeyHistory terminal, SignedReceipt signed, DateTimeOffset? acknowledgedAt)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(signed.Signature ?? ""); }
        catch (FormatException) { return new KeyStanding(false, 0, null); }
        if (signature.Length == 0) return new KeyStanding(false, 0, null);
        var message = ReceiptEncoding.Encode(signed.Receipt);
        return KeyInForceRule.Judge(terminal, signed.Receipt, acknowledgedAt, pem => Key(pem) is { } key && Fabric.Ecdsa.EcdsaSignatures.Verify(key, message, signature));
    }

    private ECDsa? Key(string pem)
    {
        if (_keys.TryGetValue(pem, out var known)) return known;
        return _keys[pem] = EcdsaKeys.TryImportPem(pem);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values) key?.Dispose();
        _keys.Clear();
    }
}
