using Fabric.Grpc.Client;
namespace Fabric.Grpc.Tests.Interop;

/// <summary>The three ways a Fabric node can be reached: plain HTTP/2, TLS, and TLS with client certificates.</summary>
public enum TransportMode
{
    H2c,
    Tls,
    MutualTls,
}
