using Gateway;
using Google.Protobuf;

namespace Fabric.Client.Internal;

/// <summary>Builds unsigned commit-status requests.</summary>
internal static class CommitRequests
{
    public static SignedCommitStatusRequest New(SigningIdentity signingIdentity, string channelName, string transactionId)
    {
        var request = new CommitStatusRequest
        {
            ChannelId = channelName,
            TransactionId = transactionId,
            Identity = ByteString.CopyFrom(signingIdentity.Creator),
        };
        return new SignedCommitStatusRequest { Request = request.ToByteString() };
    }
}
