using Google.Protobuf;

namespace Fabric.Grpc;

/// <summary>
/// Describes one RPC: its path (<c>/package.Service/Method</c>), its kind and how to parse its messages.
/// </summary>
/// <example><code>
/// static readonly Method&lt;EndorseRequest, EndorseResponse&gt; Endorse =
///     new(MethodType.Unary, "gateway.Gateway", "Endorse", EndorseRequest.Parser, EndorseResponse.Parser);
/// </code></example>
public sealed class Method<TRequest, TResponse>
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public Method(MethodType type, string serviceName, string name, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
        RequestParser = requestParser;
        ResponseParser = responseParser;
    }

    public MethodType Type { get; }
    public string ServiceName { get; }
    public string Name { get; }
    public string FullName { get; }
    public MessageParser<TRequest> RequestParser { get; }
    public MessageParser<TResponse> ResponseParser { get; }
}
