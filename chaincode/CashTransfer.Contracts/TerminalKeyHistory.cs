using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>
/// A terminal's signing keys over time, as the ledger keeps them on its terminal record (docs/terminal-keys.md): the key
/// in force now, the keys it replaced, and the periods it was suspended. <see cref="KeyInForceRule"/> judges receipts
/// against it on the ledger, at the gateway service's intake and in reconciliation.
/// </summary>
/// <param name="TerminalId">The terminal's id.</param>
/// <param name="PublicKeyPem">The key in force now (PEM, SubjectPublicKeyInfo).</param>
/// <param name="KeyVersion">Its version: 1 at registration, one more at each rotation.</param>
/// <param name="Suspended">The terminal's status now (a suspension recorded before terminals kept their history has no period).</param>
/// <param name="RetiredKeys">The keys the terminal used before, oldest first.</param>
/// <param name="Suspensions">The periods the terminal was (or is) suspended, oldest first.</param>
public sealed record TerminalKeyHistory(
    string TerminalId,
    string PublicKeyPem,
    int KeyVersion,
    bool Suspended,
    IReadOnlyList<RetiredKey> RetiredKeys,
    IReadOnlyList<SuspensionPeriod> Suspensions)
{
    /// <summary>The suspension in force now, if any.</summary>
    [JsonIgnore]
    public SuspensionPeriod? OpenSuspension => Suspensions.LastOrDefault(s => s.Until is null);

    /// <summary>Since when the current key counts as lost or stolen: an open loss-or-theft suspension of this key's version.</summary>
    [JsonIgnore]
    public DateTimeOffset? CurrentKeyCompromisedAt =>
        OpenSuspension is { Reason: SuspensionReason.LossOrTheft } s && s.KeyVersion == KeyVersion ? s.From : null;
}
