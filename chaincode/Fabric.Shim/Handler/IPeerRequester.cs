using Google.Protobuf;
using Protos;

namespace Fabric.Shim.Handler;

/// <summary>Sends one stub request of a transaction to the peer and returns the payload of its RESPONSE.</summary>
internal interface IPeerRequester
{
    /// <exception cref="PeerErrorException">The peer answered with ERROR.</exception>
    Task<ByteString> RequestAsync(ChaincodeMessage.Types.Type type, IMessage payload, CancellationToken cancellationToken);
}
