using System.Collections.Concurrent;
using System.Net;
using Fabric.Grpc.Wire;

namespace Fabric.Grpc.Client;

/// <summary>Builds the HTTP/2 request of a call: POST to the method path, gRPC headers, caller metadata.</summary>
internal sealed class GrpcRequestFactory(Uri address, string? authorityOverride)
{
    private readonly ConcurrentDictionary<string, Uri> uris = new();

    public HttpRequestMessage Create(string methodPath, HttpContent content, Metadata? headers, TimeSpan? timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uris.GetOrAdd(methodPath, path => new Uri(address, path)))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var h = request.Headers;
        h.TryAddWithoutValidation(GrpcProtocol.Te, "trailers");
        h.TryAddWithoutValidation(GrpcProtocol.UserAgent, GrpcProtocol.UserAgentValue);
        h.TryAddWithoutValidation(GrpcProtocol.AcceptEncoding, GrpcProtocol.SupportedEncodings);
        if (authorityOverride is not null) h.Host = authorityOverride;
        if (timeout is { } t) h.TryAddWithoutValidation(GrpcProtocol.Timeout, GrpcTimeoutHeader.Encode(t));
        if (headers is not null)
            foreach (var (name, value) in headers)
                if (MetadataHeaders.IsCustom(name)) h.TryAddWithoutValidation(name, value);
        content.Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
        return request;
    }
}
