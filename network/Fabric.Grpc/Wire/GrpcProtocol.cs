namespace Fabric.Grpc.Wire;

/// <summary>Header names and values of gRPC over HTTP/2 (PROTOCOL-HTTP2.md in the gRPC repository).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";
    public const string StatusDetails = "grpc-status-details-bin";
    public const string Timeout = "grpc-timeout";
    public const string Encoding = "grpc-encoding";
    public const string AcceptEncoding = "grpc-accept-encoding";
    public const string Te = "te";
    public const string UserAgent = "user-agent";

    /// <summary>What we can decode; we always send uncompressed.</summary>
    public const string SupportedEncodings = "identity,gzip,deflate";
    public const string UserAgentValue = "fabric-grpc-dotnet/1.0";

    /// <summary>True for <c>application/grpc</c> and its <c>+proto</c> / parameter variants.</summary>
    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null
        && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';');
}
