using System.Net;
using System.Net.Http.Headers;
using Fabric.Grpc.Wire;
using Google.Protobuf;

namespace Fabric.Grpc.Client;

/// <summary>
/// The response side of a client call: checks the headers (a trailers-only response carries the status
/// there), reads messages, and after the body ends reads the status from the trailers.
/// </summary>
internal sealed class GrpcResponse : IDisposable
{
    private readonly HttpResponseMessage response;
    private readonly MessageReader? reader;
    private bool ended;

    private GrpcResponse(HttpResponseMessage response, MessageReader? reader)
    {
        this.response = response;
        this.reader = reader;
        ended = reader is null;
    }

    /// <summary>Checks the response headers; throws the status of a trailers-only error or of a non-gRPC answer.</summary>
    public static async Task<GrpcResponse> OpenAsync(HttpResponseMessage response, int maxReceiveSize, CancellationToken cancellationToken)
    {
        try
        {
            // A trailers-only OK has no messages: the call simply ends.
            if (Header(response.Headers, GrpcProtocol.Status) is not null && ReadStatus(response.Headers).Code == StatusCode.OK)
                return new GrpcResponse(response, null);
            if (EndedBeforeBody(response) is { } error) throw error;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var encoding = Header(response.Headers, GrpcProtocol.Encoding);
            return new GrpcResponse(response, new MessageReader(body, maxReceiveSize, encoding, StatusCode.Internal));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Without reading or disposing anything: the error a response's headers already carry (a trailers-only
    /// status, an HTTP error, a content type that is not gRPC), or null while the call goes on.
    /// </summary>
    public static RpcException? EndedBeforeBody(HttpResponseMessage response)
    {
        if (Header(response.Headers, GrpcProtocol.Status) is not null)
        {
            var status = ReadStatus(response.Headers);
            return status.Code == StatusCode.OK
                ? new RpcException(StatusCode.Internal, "The server ended the call with status OK before taking its requests")
                : status.ToException(ReadMetadata(response.Headers));
        }
        if (response.StatusCode != HttpStatusCode.OK)
            return new RpcException(StatusMapping.FromHttpStatus((int)response.StatusCode), $"Bad gRPC response: HTTP status {(int)response.StatusCode}");
        var contentType = response.Content.Headers.NonValidated.TryGetValues("content-type", out var ct) ? ct.ToString() : null;
        return GrpcProtocol.IsGrpcContentType(contentType) ? null : new RpcException(StatusCode.Internal, $"Bad gRPC response: content type '{contentType}'");
    }

    /// <summary>The next message; at the end of the body, the call's status (an error status is thrown).</summary>
    public async ValueTask<ReadResult<T>> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken) where T : IMessage<T>
    {
        if (ended) return ReadResult<T>.End;
        var result = await reader!.ReadAsync(parser, cancellationToken).ConfigureAwait(false);
        if (result.HasMessage) return result;
        ended = true;
        var trailers = response.TrailingHeaders;
        if (Header(trailers, GrpcProtocol.Status) is null)
            throw new RpcException(StatusCode.Internal, "The response ended without grpc-status", trailers: ReadMetadata(trailers));
        var status = ReadStatus(trailers);
        if (status.Code != StatusCode.OK) throw status.ToException(ReadMetadata(trailers));
        return result;
    }

    private static GrpcStatus ReadStatus(HttpHeaders headers)
    {
        var codeText = Header(headers, GrpcProtocol.Status);
        if (!int.TryParse(codeText, out var code) || code < 0)
            return new GrpcStatus(StatusCode.Unknown, $"Unparsable grpc-status '{codeText}'");
        var message = Header(headers, GrpcProtocol.Message);
        return new GrpcStatus(
            (StatusCode)code,
            message is null ? "" : GrpcMessageEncoding.Decode(message),
            StatusDetailsHeader.Decode(Header(headers, GrpcProtocol.StatusDetails)));
    }

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
            if (MetadataHeaders.IsCustom(name))
                foreach (var value in values) metadata.Add(name, value);
        return metadata;
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    public void Dispose() => response.Dispose();
}
