namespace Fabric.Grpc;

/// <summary>Message size limits that Fabric's own nodes use.</summary>
public static class FabricMessageSize
{
    /// <summary>
    /// 100 MiB: a Fabric peer's and orderer's default for messages received and sent (core.yaml's
    /// peer.maxRecvMsgSize and maxSendMsgSize). gRPC's own default of 4 MiB refuses transactions that a channel's
    /// AbsoluteMaxBytes (10 MiB by default) allows, such as a large bulk issue's endorsement.
    /// </summary>
    public const int Default = 100 * 1024 * 1024;
}
