using Protos;

namespace Fabric.Shim.Handler;

/// <summary>
/// One bidirectional chaincode conversation with a peer (<c>protos.Chaincode/Connect</c>), independent of the
/// transport: the gRPC server adapts its duplex call to it, tests use an in-memory pair.
/// </summary>
public interface IChaincodeMessageStream
{
    /// <summary>The peer's messages in arrival order; ends when the peer half-closes the stream.</summary>
    IAsyncEnumerable<ChaincodeMessage> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Sends one message to the peer. The handler never calls it concurrently.</summary>
    Task WriteAsync(ChaincodeMessage message, CancellationToken cancellationToken);
}
