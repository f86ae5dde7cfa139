namespace CashTransfer.Contracts;

/// <summary>
/// A key a terminal signed with before a rotation: until <see cref="RetiredAt"/>, and, when it was in force during a
/// loss-or-theft suspension, since when it counts as compromised (<see cref="CompromisedAt"/>).
/// </summary>
public sealed record RetiredKey(int KeyVersion, string PublicKeyPem, DateTimeOffset RetiredAt, DateTimeOffset? CompromisedAt);
