using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Domain;

/// <summary>The errors a transaction function raises; the status tells the caller whether to fix input, ask for rights, or look elsewhere.</summary>
public static class Problem
{
    public static ChaincodeException Invalid(string message) => new(message, 400);
    public static ChaincodeException Unauthenticated(string message) => new(message, 401);
    public static ChaincodeException Forbidden(string message) => new(message, 403);
    public static ChaincodeException NotFound(string message) => new(message, 404);
    public static ChaincodeException Conflict(string message) => new(message, 409);

    /// <summary>Returns the argument, or refuses the call when it is missing (JSON null).</summary>
    public static T Required<T>(T? value, string what) where T : class => value ?? throw Invalid($"{what} is required.");
}
