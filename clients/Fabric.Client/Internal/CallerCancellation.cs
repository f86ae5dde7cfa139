using Grpc.Core;

namespace Fabric.Client.Internal;

/// <summary>
/// Turns a transport failure into what the caller sees. The caller's own cancellation surfaces the .NET way at every
/// step: an <see cref="OperationCanceledException"/> carrying the caller's token, whether the token was cancelled before
/// the call (the transport throws that itself) or while it was in flight (the transport reports CANCELLED). A deadline
/// is not the caller's cancellation: it stays the typed exception with DEADLINE_EXCEEDED, and so does a CANCELLED the
/// server sent while the caller's token was intact.
/// </summary>
internal static class CallerCancellation
{
    /// <summary>Runs <paramref name="call"/>; its failures become <paramref name="typed"/>'s exception or the caller's cancellation.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call, Func<RpcException, GatewayException> typed, CancellationToken callerToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            throw e.StatusCode == StatusCode.Cancelled && callerToken.IsCancellationRequested
                ? new OperationCanceledException("The call was cancelled by its CancellationToken.", e, callerToken)
                : typed(e);
        }
        catch (OperationCanceledException e) when (CarriesAnotherToken(e, callerToken))
        {
            throw WithCallerToken(e, callerToken);
        }
    }

    /// <summary>
    /// True for the caller's cancellation reported with another token (the transport's or a resilience pipeline's linked
    /// one): <see cref="WithCallerToken"/> re-issues it so that <c>catch (OperationCanceledException e) when (e.CancellationToken == token)</c> works.
    /// </summary>
    public static bool CarriesAnotherToken(OperationCanceledException exception, CancellationToken callerToken) =>
        callerToken.IsCancellationRequested && exception.CancellationToken != callerToken;

    public static OperationCanceledException WithCallerToken(OperationCanceledException exception, CancellationToken callerToken) =>
        new(exception.Message, exception, callerToken);
}
