namespace Fabric.Grpc;

public enum MethodType
{
    Unary,
    ServerStreaming,
    DuplexStreaming,
}
