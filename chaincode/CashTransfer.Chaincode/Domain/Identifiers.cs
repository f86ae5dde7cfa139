using System.Text.RegularExpressions;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// Formats of what may appear in keys and arguments. Identifiers are short codes (no spaces, no U+0000), so
/// that a name, phone number or other personal detail cannot be slipped in where an id belongs.
/// </summary>
public static partial class Identifiers
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex CategoryPattern();

    /// <summary>A record id: 1-64 characters of letters, digits, '.', '_', ':' or '-', starting with a letter or digit.</summary>
    public static string RequireId(string? value, string what) => value is not null && IdPattern().IsMatch(value)
        ? value
        : throw Problem.Invalid($"{what} '{value}' is not a valid id: use 1-64 letters, digits, '.', '_', ':' or '-'.");

    /// <summary>
    /// A beneficiary's keyed hash of a common identifier, computed off-chain (e.g. HMAC-SHA-256): exactly 64
    /// lowercase hex characters. Anything else is refused, so no personal data can be passed as a beneficiary.
    /// </summary>
    public static string RequireBeneficiaryHash(string? value) => value is not null && HashPattern().IsMatch(value)
        ? value
        : throw Problem.Invalid("A beneficiary must be given as the keyed hash of its common identifier: 64 lowercase hex characters. Never send names, phone numbers or ids in clear.");

    /// <summary>A SHA-256 digest as 64 lowercase hex characters (receipt hashes).</summary>
    public static string RequireHash(string? value, string what) => value is not null && HashPattern().IsMatch(value)
        ? value
        : throw Problem.Invalid($"{what} must be 64 lowercase hex characters (SHA-256).");

    /// <summary>A spending category such as <c>food</c> or <c>hygiene</c>: lowercase letters, digits and '-'.</summary>
    public static string RequireCategory(string? value) => value is not null && CategoryPattern().IsMatch(value)
        ? value
        : throw Problem.Invalid($"Category '{value}' is not valid: use 1-32 lowercase letters, digits or '-', starting with a letter (e.g. food).");
}
