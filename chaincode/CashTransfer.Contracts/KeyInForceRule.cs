namespace CashTransfer.Contracts;

/// <summary>Why <see cref="KeyInForceRule"/> refuses a genuinely signed receipt; the names are the ledger's rejection codes.</summary>
public enum KeyRefusalReason { KeyReportedLost, KeyRetired, TerminalSuspended }

/// <summary>A genuinely signed receipt that the key and status in force at its sale do not honour, and why.</summary>
public sealed record KeyRefusal(KeyRefusalReason Reason, string Message);

/// <summary>How a receipt stands against its terminal's keys and suspensions: which key signed it, and why it is refused if it is.</summary>
/// <param name="Signed">False when no key the terminal ever had verifies the signature: a forgery, refused with nothing recorded.</param>
/// <param name="KeyVersion">The version of the key that verifies the signature.</param>
/// <param name="Refusal">Why a genuinely signed receipt is refused; null when it is honoured.</param>
public sealed record KeyStanding(bool Signed, int KeyVersion, KeyRefusal? Refusal);

/// <summary>
/// Judges a receipt against the key and status in force when the sale was made and acknowledged
/// (docs/terminal-keys.md). The sale time is the terminal's signed clock; the acknowledgement time is the gateway
/// service's word that it stored the receipt then. A receipt is honoured when, for each change it meets:
/// <list type="bullet">
/// <item>signed with a retired key: the sale was made, or acknowledged, before the key was replaced;</item>
/// <item>signed with a key reported lost or stolen: the sale was made, or acknowledged, before the report;</item>
/// <item>the terminal was suspended at the sale's time: it was acknowledged before the suspension began.</item>
/// </list>
/// One rule for the chaincode (<c>Redemption:Redeem</c>), the gateway service's intake and reconciliation; each passes
/// its own signature check as <c>verifiesWith</c> (PEM public key -> does it verify this receipt).
/// </summary>
public static class KeyInForceRule
{
    public static KeyStanding Judge(TerminalKeyHistory terminal, Receipt receipt, DateTimeOffset? acknowledgedAt, Func<string, bool> verifiesWith)
    {
        var saleAt = receipt.TerminalTime;
        bool Before(DateTimeOffset change) => saleAt < change || acknowledgedAt < change;

        int version;
        DateTimeOffset? retiredAt = null, compromisedAt;
        if (verifiesWith(terminal.PublicKeyPem))
            (version, compromisedAt) = (terminal.KeyVersion, terminal.CurrentKeyCompromisedAt);
        else if (terminal.RetiredKeys.LastOrDefault(k => verifiesWith(k.PublicKeyPem)) is { } retired)
            (version, retiredAt, compromisedAt) = (retired.KeyVersion, retired.RetiredAt, retired.CompromisedAt);
        else
            return new KeyStanding(false, 0, null);

        if (compromisedAt is { } lost && !Before(lost))
            return Refused(version, KeyRefusalReason.KeyReportedLost,
                $"Terminal {terminal.TerminalId}'s key version {version} was reported lost or stolen at {lost:O}; this receipt is dated {saleAt:O} and was not acknowledged before the report, so it is not honoured.");
        if (retiredAt is { } replaced && !Before(replaced))
            return Refused(version, KeyRefusalReason.KeyRetired,
                $"Signed with terminal {terminal.TerminalId}'s key version {version}, replaced at {replaced:O}; this receipt is dated {saleAt:O} and was not acknowledged before then. Sign new sales with the current key (version {terminal.KeyVersion}).");
        if (terminal.Suspensions.LastOrDefault(s => s.Covers(saleAt) && !(acknowledgedAt < s.From)) is { } suspension)
            return Refused(version, KeyRefusalReason.TerminalSuspended,
                $"Terminal {terminal.TerminalId} was suspended ({suspension.Reason}) from {suspension.From:O}{(suspension.Until is { } until ? $" until {until:O}" : "")}; a sale dated {saleAt:O} is not honoured.");
        // A suspension recorded before terminals kept their history: judged as before, by the status alone.
        if (terminal.Suspended && terminal.OpenSuspension is null)
            return Refused(version, KeyRefusalReason.TerminalSuspended, $"Terminal {terminal.TerminalId} is suspended.");
        return new KeyStanding(true, version, null);
    }

    private static KeyStanding Refused(int version, KeyRefusalReason reason, string message) => new(true, version, new KeyRefusal(reason, message));
}
