using Grpc.Core;
using Fabric.Grpc;
using Fabric.Network.Membership;
using Fabric.Network.Policies;
using Fabric.Network.Validation;
using Google.Protobuf;

namespace Fabric.Network.Gateway;

/// <summary>
/// Checks a signed request (commit status, chaincode events, deliver): the identity is a valid channel
/// member, its signature covers the request bytes, and it satisfies the channel policy (Readers).
/// Failures are PERMISSION_DENIED, as the peer's ACL check returns them.
/// </summary>
public static class SignedRequestChecker
{
    public static ValidatedIdentity Check(ChannelContext channel, string channelId, ByteString identity, ByteString data, ByteString signature, IPolicy policy)
    {
        if (channelId != channel.ChannelId)
            throw RpcErrors.Create(StatusCode.NotFound, $"channel '{RpcErrors.Bounded(channelId)}' not found");
        ValidatedIdentity validated;
        try
        {
            validated = channel.Membership.Validate(identity.Span);
        }
        catch (IdentityException e)
        {
            throw RpcErrors.Create(StatusCode.PermissionDenied, $"failed evaluating policy on signed data during check policy on channel [{channel.ChannelId}]: {RpcErrors.Bounded(e.Message)}");
        }
        if (!channel.Membership.Verify(validated, data.Span, signature.Span))
            throw RpcErrors.Create(StatusCode.PermissionDenied, $"failed evaluating policy on signed data during check policy on channel [{channel.ChannelId}]: signature is not valid");
        if (!policy.IsSatisfiedBy([validated]))
            throw RpcErrors.Create(StatusCode.PermissionDenied, $"failed evaluating policy on signed data during check policy on channel [{channel.ChannelId}]: implicit policy evaluation failed");
        return validated;
    }
}
