using Grpc.Core;

namespace Fabric.Grpc.Server;

/// <summary>The call's own context, with a token that fires when the call ends or when the server stops.</summary>
internal sealed class StoppableServerCallContext : ServerCallContext, IDisposable
{
    private readonly CancellationTokenSource linked;

    public StoppableServerCallContext(ServerCallContext inner, CancellationToken stopping)
    {
        Inner = inner;
        linked = CancellationTokenSource.CreateLinkedTokenSource(inner.CancellationToken, stopping);
    }

    public ServerCallContext Inner { get; }

    protected override string MethodCore => Inner.Method;
    protected override string HostCore => Inner.Host;
    protected override string PeerCore => Inner.Peer;
    protected override DateTime DeadlineCore => Inner.Deadline;
    protected override Metadata RequestHeadersCore => Inner.RequestHeaders;
    protected override CancellationToken CancellationTokenCore => linked.Token;
    protected override Metadata ResponseTrailersCore => Inner.ResponseTrailers;
    protected override Status StatusCore { get => Inner.Status; set => Inner.Status = value; }
    protected override WriteOptions? WriteOptionsCore { get => Inner.WriteOptions; set => Inner.WriteOptions = value; }
    protected override AuthContext AuthContextCore => Inner.AuthContext;
    protected override IDictionary<object, object> UserStateCore => Inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        Inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Inner.WriteResponseHeadersAsync(responseHeaders);

    public void Dispose() => linked.Dispose();
}
