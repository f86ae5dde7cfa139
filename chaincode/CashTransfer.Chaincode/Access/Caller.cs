using CashTransfer.Chaincode.Domain;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Access;

/// <summary>Who is calling, from the transaction's client identity; every transaction function starts by requiring a role.</summary>
public static class Caller
{
    public const string RoleAttribute = "cashtransfer.role";

    public static Role? RoleOf(Context context) => context.ClientIdentity.GetAttributeValue(RoleAttribute) switch
    {
        "operator" => Role.Operator,
        "auditor" => Role.Auditor,
        "gateway" => Role.Gateway,
        _ => null,
    };

    /// <summary>Requires one of the roles and returns the caller's role.</summary>
    public static Role Require(Context context, params Role[] allowed)
    {
        var role = RoleOf(context);
        if (role is { } r && allowed.Contains(r)) return r;
        var names = string.Join(" or ", allowed.Select(a => a.ToString().ToLowerInvariant()));
        throw Problem.Forbidden($"This function needs the {names} role (certificate attribute {RoleAttribute}); the caller from {context.ClientIdentity.MspId} has {(role?.ToString().ToLowerInvariant() ?? "none")}.");
    }

    /// <summary>Requires an operator and returns its agency, the MSP id.</summary>
    public static string RequireOperator(Context context)
    {
        Require(context, Role.Operator);
        return context.ClientIdentity.MspId;
    }

    /// <summary>Requires an operator of <paramref name="ownerMsp"/>: agencies act only on what they own.</summary>
    public static string RequireOperatorOf(Context context, string ownerMsp, string what)
    {
        var agency = RequireOperator(context);
        return agency == ownerMsp ? agency : throw Problem.Forbidden($"{what} belongs to {ownerMsp}; an operator of {agency} cannot change it.");
    }
}
