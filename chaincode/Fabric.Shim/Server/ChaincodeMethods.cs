using Grpc.Core;
using Fabric.Grpc;
using Protos;

namespace Fabric.Shim.Server;

/// <summary>The gRPC method a Fabric peer calls on a chaincode-as-a-service server.</summary>
public static class ChaincodeMethods
{
    /// <summary><c>/protos.Chaincode/Connect</c>: the peer opens it, then both sides exchange <c>ChaincodeMessage</c>s.</summary>
    public static readonly Method<ChaincodeMessage, ChaincodeMessage> Connect =
        ProtobufMethod.Create(MethodType.DuplexStreaming, "protos.Chaincode", "Connect", ChaincodeMessage.Parser, ChaincodeMessage.Parser);
}
