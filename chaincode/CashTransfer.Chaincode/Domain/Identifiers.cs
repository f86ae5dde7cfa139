using CashTransfer.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>
/// The ledger's checks of what may appear in keys and arguments, on the shared rules of <see cref="IdRules"/>
/// (one definition for the chaincode, the gateway service and the POS SDK), raising 400 errors that say what to send.
/// </summary>
public static class Identifiers
{
    /// <summary>A record id: <see cref="IdRules.IdRule"/>.</summary>
    public static string RequireId(string? value, string what) => IdRules.IsId(value)
        ? value!
        : throw Problem.Invalid($"{what} '{Printable(value)}' is not a valid id: use {IdRules.IdRule}.");

    /// <summary>A new redemption id, which must belong to the terminal that signs the receipt (<see cref="IdRules.RedemptionIdRule"/>).</summary>
    public static string RequireRedemptionIdOf(string? value, string terminalId) => IdRules.IsRedemptionIdOf(value, terminalId)
        ? value!
        : throw Problem.Invalid($"Redemption id '{Printable(value)}' does not belong to terminal {terminalId}: a redemption id is {IdRules.RedemptionIdRule}, so that no other terminal can take it.");

    /// <summary>An id that names a recorded redemption (scoped, or from before redemption ids were scoped).</summary>
    public static string RequireRedemptionReference(string? value) => IdRules.IsRedemptionReference(value)
        ? value!
        : throw Problem.Invalid($"Redemption id '{Printable(value)}' is not a valid redemption id: use {IdRules.RedemptionIdRule}.");

    /// <summary>
    /// A beneficiary's keyed hash of a common identifier, computed off-chain (e.g. HMAC-SHA-256): exactly 64
    /// lowercase hex characters. Anything else is refused, so no personal data can be passed as a beneficiary.
    /// </summary>
    public static string RequireBeneficiaryHash(string? value) => IdRules.IsHash(value)
        ? value!
        : throw Problem.Invalid("A beneficiary must be given as the keyed hash of its common identifier: 64 lowercase hex characters. Never send names, phone numbers or ids in clear.");

    /// <summary>A SHA-256 digest as 64 lowercase hex characters (receipt hashes).</summary>
    public static string RequireHash(string? value, string what) => IdRules.IsHash(value)
        ? value!
        : throw Problem.Invalid($"{what} must be 64 lowercase hex characters (SHA-256).");

    /// <summary>A spending category such as <c>food</c> or <c>hygiene</c>: lowercase letters, digits and '-'.</summary>
    public static string RequireCategory(string? value) => IdRules.IsCategory(value)
        ? value!
        : throw Problem.Invalid($"Category '{Printable(value)}' is not valid: use 1-32 lowercase letters, digits or '-', starting with a letter (e.g. food).");

    // Error messages echo what arrived as one readable line of bounded length.
    private static string Printable(string? value) => Fabric.Shim.Printable.Of(value);
}
