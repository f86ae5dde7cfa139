using Fabric.Grpc.Client;

namespace Fabric.Grpc.Tests;

/// <summary>What ended a call, as the caller sees it: CANCELLED only when this side cancelled.</summary>
public sealed class ClientCallScopeTests
{
    [Fact]
    public void A_cancellation_that_came_from_the_transport_is_unavailable_not_cancelled()
    {
        using var scope = ClientCallScope.Start(default);
        var status = scope.Translate(new TaskCanceledException("The request body was cancelled when the connection closed"));
        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
    }

    [Fact]
    public void The_callers_token_or_an_explicit_cancel_is_cancelled()
    {
        using var caller = new CancellationTokenSource();
        using var byToken = ClientCallScope.Start(new CallOptions(CancellationToken: caller.Token));
        caller.Cancel();
        Assert.Equal(StatusCode.Cancelled, byToken.Translate(new OperationCanceledException(caller.Token)).StatusCode);

        using var explicitly = ClientCallScope.Start(default);
        explicitly.Cancel();
        Assert.Equal(StatusCode.Cancelled, explicitly.Translate(new OperationCanceledException()).StatusCode);
    }
}
