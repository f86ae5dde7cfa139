using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CashTransfer.Gateway.Api;

/// <summary>
/// The ledger's answers as typed results. The chaincode's JSON is read into the API's record type (CashTransfer.Api),
/// so that the type a handler returns, the one the OpenAPI document lists and the one clients read are the same type.
/// The ledger's refusals are exceptions that <see cref="LedgerExceptionHandler"/> answers as problems; endpoints list
/// them with <see cref="ResponseMetadata.ProducesLedgerProblems"/>.
/// </summary>
public static class LedgerResults
{
    private static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(30);

    /// <summary>Runs a query with the caller's identity: 200 with its answer.</summary>
    public static async Task<Ok<T>> QueryAsync<T>(HttpContext http, ILedgerGateway ledger, string function, params string[] arguments) =>
        TypedResults.Ok(await ledger.EvaluateJsonAsync<T>(ClientClaims.LedgerCallerOf(http.User), function, arguments, http.RequestAborted));

    /// <summary>Changes the ledger with the caller's agency identity and waits for the commit: 200 with the changed record.</summary>
    public static async Task<Ok<T>> ChangeAsync<T>(HttpContext http, ILedgerGateway ledger, string function, IReadOnlyList<string> arguments) =>
        TypedResults.Ok(await SubmitAsync<T>(http, ledger, function, arguments));

    /// <summary>Records something new on the ledger: 201 with the record and where to read it.</summary>
    public static async Task<Created<T>> CreateAsync<T>(HttpContext http, ILedgerGateway ledger, string function, IReadOnlyList<string> arguments, Func<T, string> location)
    {
        var record = await SubmitAsync<T>(http, ledger, function, arguments);
        return TypedResults.Created(location(record), record);
    }

    /// <summary>Endorses, submits and waits for the commit; returns the function's result as <typeparamref name="T"/>.</summary>
    public static async Task<T> SubmitAsync<T>(HttpContext http, ILedgerGateway ledger, string function, IReadOnlyList<string> arguments)
    {
        var result = await ledger.SubmitAndWaitAsync(ClientClaims.LedgerCallerOf(http.User), function, arguments, CommitWait, http.RequestAborted);
        return System.Text.Json.JsonSerializer.Deserialize<T>(result, CashTransfer.Api.ApiJson.Options)
            ?? throw new InvalidOperationException($"{function} returned JSON null.");
    }
}
