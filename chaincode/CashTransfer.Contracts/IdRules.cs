using System.Text.RegularExpressions;

namespace CashTransfer.Contracts;

/// <summary>
/// The one definition of what an id, a hash and a category look like, used by the chaincode, the gateway service
/// and the POS SDK alike. Every pattern is anchored with <c>\A</c> and <c>\z</c>: .NET's <c>$</c> also matches
/// before a final "\n", which would let <c>"&lt;hash&gt;\n"</c> pass as a second, different beneficiary.
/// Ids are short codes (no spaces, no control characters), so personal data cannot be slipped in where an id belongs.
/// </summary>
/// <example><code>IdRules.IsHash(hash + "\n"); // false
/// var id = IdRules.NewRedemptionId("T-1"); // "T-1:3f2a..."
/// IdRules.IsRedemptionIdOf(id, "T-2"); // false: only T-1 may use it</code></example>
public static partial class IdRules
{
    /// <summary>The longest record id (and the longest terminal id).</summary>
    public const int MaxIdLength = 64;

    /// <summary>What separates a redemption id's terminal id from the part the terminal chose.</summary>
    public const char RedemptionIdSeparator = ':';

    /// <summary>The rule for a record id, in words, for error messages.</summary>
    public const string IdRule = "1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

    /// <summary>The rule for a new redemption id, in words, for error messages.</summary>
    public const string RedemptionIdRule = "the terminal's id, ':' and 1-64 letters, digits, '.', '_' or '-' (no ':'), e.g. T-1:7f3c9a";

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\z")]
    private static partial Regex IdPattern();

    // A terminal id (which may hold ':'), ':', then a local part without ':'; so the owner is everything before the last ':'.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,63}:[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex RedemptionIdPattern();

    [GeneratedRegex(@"\A[0-9a-f]{64}\z")]
    private static partial Regex HashPattern();

    [GeneratedRegex(@"\A[a-z][a-z0-9-]{0,31}\z")]
    private static partial Regex CategoryPattern();

    /// <summary>True for a record id: <see cref="IdRule"/>.</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>True for 64 lowercase hex characters: a SHA-256 digest or a beneficiary's keyed hash.</summary>
    public static bool IsHash(string? value) => value is not null && HashPattern().IsMatch(value);

    /// <summary>True for a spending category such as <c>food</c>: 1-32 lowercase letters, digits or '-', starting with a letter.</summary>
    public static bool IsCategory(string? value) => value is not null && CategoryPattern().IsMatch(value);

    /// <summary>
    /// True for a redemption id scoped to a terminal: <see cref="RedemptionIdRule"/>. Only the terminal named in it
    /// can use it, so no other terminal can take a sale's id first.
    /// </summary>
    public static bool IsRedemptionId(string? value) => value is not null && RedemptionIdPattern().IsMatch(value);

    /// <summary>True when <paramref name="redemptionId"/> is a redemption id that belongs to <paramref name="terminalId"/>.</summary>
    public static bool IsRedemptionIdOf(string? redemptionId, string? terminalId) =>
        IsRedemptionId(redemptionId) && IsId(terminalId) && TerminalOf(redemptionId!) == terminalId;

    /// <summary>The terminal a redemption id belongs to (everything before its last ':'); null when it is not a redemption id.</summary>
    public static string? TerminalOf(string redemptionId) =>
        IsRedemptionId(redemptionId) ? redemptionId[..redemptionId.LastIndexOf(RedemptionIdSeparator)] : null;

    /// <summary>A fresh, unguessable redemption id of <paramref name="terminalId"/>.</summary>
    /// <exception cref="ArgumentException">The terminal id is not a valid id.</exception>
    public static string NewRedemptionId(string terminalId) => IsId(terminalId)
        ? $"{terminalId}{RedemptionIdSeparator}{Guid.NewGuid():N}"
        : throw new ArgumentException($"Terminal id '{terminalId}' is not valid: use {IdRule}.", nameof(terminalId));

    /// <summary>True for an id that may name an existing redemption: a scoped redemption id, or a record id (redemptions recorded before ids were scoped).</summary>
    public static bool IsRedemptionReference(string? value) => IsRedemptionId(value) || IsId(value);
}
