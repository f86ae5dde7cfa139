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

    [Fact]
    public void A_server_that_closed_its_connection_without_a_status_is_unavailable()
    {
        using var scope = ClientCallScope.Start(default);
        var closed = new System.Net.Http.HttpProtocolException(0x0, "The HTTP/2 server closed the connection. HTTP/2 error code 'NO_ERROR' (0x0).", null);
        Assert.Equal(StatusCode.Unavailable, scope.Translate(new IOException("read failed", closed)).StatusCode);
    }

    [Fact]
    public void A_stream_reset_with_an_internal_error_stays_internal()
    {
        using var scope = ClientCallScope.Start(default);
        var reset = new System.Net.Http.HttpProtocolException(0x2, "The HTTP/2 server reset the stream. HTTP/2 error code 'INTERNAL_ERROR' (0x2).", null);
        Assert.Equal(StatusCode.Internal, scope.Translate(reset).StatusCode);
    }
}
