using System.Text.Json.Serialization;
using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ParticipantStatus>))]
public enum ParticipantStatus { Active, Suspended }

/// <summary>
/// A shop registered by an agency, with the categories it sells. Only a code is stored: no owner names. It keeps the
/// periods it was suspended, so that a sale is judged against the retailer's status when it was made (docs/chaincode-functions.md,
/// "Suspended retailers"). Records written before that history existed read as an empty list.
/// </summary>
public sealed record Retailer(string RetailerId, string RegisteredBy, IReadOnlyList<string> Categories, ParticipantStatus Status,
    IReadOnlyList<RetailerSuspension>? Suspensions = null)
{
    /// <summary>The periods the retailer was (or is) suspended, oldest first.</summary>
    [JsonIgnore]
    public IReadOnlyList<RetailerSuspension> SuspensionHistory => Suspensions ?? [];

    /// <summary>The suspension in force now, if any.</summary>
    [JsonIgnore]
    public RetailerSuspension? OpenSuspension => SuspensionHistory.LastOrDefault(s => s.Until is null);

    /// <summary>
    /// Whether the retailer was suspended at <paramref name="time"/>. A retailer suspended before suspensions were
    /// recorded (status Suspended, no open period) counts as suspended at any time.
    /// </summary>
    public bool WasSuspendedAt(DateTimeOffset time) =>
        SuspensionHistory.Any(s => s.Covers(time)) || (Status == ParticipantStatus.Suspended && OpenSuspension is null);
}

/// <summary>A period in which a retailer was suspended: from the suspending transaction's time until its reactivation (null while it lasts).</summary>
public sealed record RetailerSuspension(DateTimeOffset From, DateTimeOffset? Until)
{
    public bool Covers(DateTimeOffset time) => From <= time && (Until is null || time < Until);
}

public sealed record RetailerRegistration(string RetailerId, IReadOnlyList<string> Categories);

/// <summary>
/// A point-of-sale terminal of a retailer and the ECDSA P-256 public key (PEM, SubjectPublicKeyInfo) that signs
/// its receipts now (<see cref="PublicKeyPem"/>, version <see cref="KeyVersion"/>). It keeps the keys it used before
/// and the periods it was suspended, so that a receipt is judged against the key and status in force when the sale
/// was made and acknowledged (docs/terminal-keys.md). Records written before that history existed read as empty lists.
/// </summary>
public sealed record Terminal(
    string TerminalId,
    string RetailerId,
    string PublicKeyPem,
    int KeyVersion,
    ParticipantStatus Status,
    string RegisteredBy,
    IReadOnlyList<RetiredKey>? RetiredKeys = null,
    IReadOnlyList<SuspensionPeriod>? Suspensions = null)
{
    /// <summary>The keys the terminal used before, oldest first.</summary>
    [JsonIgnore]
    public IReadOnlyList<RetiredKey> RetiredKeyHistory => RetiredKeys ?? [];

    /// <summary>The periods the terminal was (or is) suspended, oldest first.</summary>
    [JsonIgnore]
    public IReadOnlyList<SuspensionPeriod> SuspensionHistory => Suspensions ?? [];

    /// <summary>The suspension in force now, if any.</summary>
    [JsonIgnore]
    public SuspensionPeriod? OpenSuspension => KeyHistory.OpenSuspension;

    /// <summary>Since when the current key counts as lost or stolen: an open loss-or-theft suspension of this key's version.</summary>
    [JsonIgnore]
    public DateTimeOffset? CurrentKeyCompromisedAt => KeyHistory.CurrentKeyCompromisedAt;

    /// <summary>The keys and suspensions that <see cref="KeyInForceRule"/> judges receipts against.</summary>
    [JsonIgnore]
    public TerminalKeyHistory KeyHistory => new(TerminalId, PublicKeyPem, KeyVersion, Status != ParticipantStatus.Active, RetiredKeyHistory, SuspensionHistory);
}

public sealed record TerminalRegistration(string TerminalId, string RetailerId, string PublicKeyPem);
