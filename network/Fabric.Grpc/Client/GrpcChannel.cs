using System.Runtime.CompilerServices;
using Fabric.Grpc.Wire;
using Google.Protobuf;

namespace Fabric.Grpc.Client;

/// <summary>
/// A gRPC channel to one server address over HTTP/2 (h2c for <c>http://</c>, TLS for <c>https://</c>).
/// Calls share pooled connections; dispose the channel to close them.
/// </summary>
/// <example><code>
/// using var channel = GrpcChannel.Create(new Uri("https://peer0.org1.example.com:7051"),
///     new GrpcChannelOptions { TrustedRoots = tlsRoots });
/// var response = await channel.UnaryAsync(GatewayMethods.Evaluate, request, CallOptions.WithTimeout(TimeSpan.FromSeconds(5)));
/// </code></example>
public sealed class GrpcChannel : ICallInvoker, IDisposable
{
    private readonly HttpMessageInvoker invoker;
    private readonly GrpcRequestFactory requests;
    private readonly GrpcChannelOptions options;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        this.options = options;
        invoker = new HttpMessageInvoker(ChannelHandlerFactory.Create(address, options), disposeHandler: true);
        requests = new GrpcRequestFactory(address, options.ServerNameOverride);
    }

    public Uri Address { get; }

    /// <summary>Creates a channel; nothing connects until the first call.</summary>
    /// <exception cref="ArgumentException">The scheme is not http/https, or the keepalive interval is below the minimum.</exception>
    public static GrpcChannel Create(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"A gRPC address is http:// (h2c) or https:// (TLS), not '{address}'", nameof(address));
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions callOptions = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        using var scope = ClientCallScope.Start(callOptions);
        try
        {
            using var response = await StartAsync(method, request, callOptions, scope).ConfigureAwait(false);
            var first = await response.ReadAsync(method.ResponseParser, scope.Token).ConfigureAwait(false);
            if (!first.HasMessage) throw new RpcException(StatusCode.Internal, "The server sent no response message to a unary call");
            var extra = await response.ReadAsync(method.ResponseParser, scope.Token).ConfigureAwait(false);
            if (extra.HasMessage) throw new RpcException(StatusCode.Internal, "The server sent more than one response message to a unary call");
            return first.Message;
        }
        catch (Exception e) when (e is not RpcException || scope.DeadlineExceeded)
        {
            throw scope.Translate(e);
        }
    }

    public IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions callOptions = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
        => ServerStreamingCore(method, request, callOptions, default);

    private async IAsyncEnumerable<TResponse> ServerStreamingCore<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions callOptions,
        [EnumeratorCancellation] CancellationToken enumeratorToken)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        using var scope = ClientCallScope.Start(callOptions, enumeratorToken);
        GrpcResponse response;
        try
        {
            response = await StartAsync(method, request, callOptions, scope).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw scope.Translate(e);
        }
        using (response)
        {
            while (true)
            {
                ReadResult<TResponse> next;
                try
                {
                    next = await response.ReadAsync(method.ResponseParser, scope.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not RpcException || scope.DeadlineExceeded)
                {
                    throw scope.Translate(e);
                }
                if (!next.HasMessage) yield break;
                yield return next.Message;
            }
        }
    }

    public IDuplexCall<TRequest, TResponse> Duplex<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions callOptions = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        new DuplexCall<TRequest, TResponse>(invoker, requests, options, method, callOptions);

    private async Task<GrpcResponse> StartAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions callOptions, ClientCallScope scope)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>
    {
        var body = new ByteArrayContent(MessageFrame.ToArray(request, options.MaxSendMessageSize));
        // Not disposed here: the body may still be on its way when the response headers arrive.
        var httpRequest = requests.Create(method.FullName, body, callOptions.Headers, scope.Timeout);
        var httpResponse = await invoker.SendAsync(httpRequest, scope.Token).ConfigureAwait(false);
        return await GrpcResponse.OpenAsync(httpResponse, options.MaxReceiveMessageSize, scope.Token).ConfigureAwait(false);
    }

    public void Dispose() => invoker.Dispose();
}
