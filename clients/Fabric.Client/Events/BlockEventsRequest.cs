using System.Runtime.CompilerServices;
using Fabric.Client.Internal;
using Grpc.Core;
using Fabric.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Protos;

namespace Fabric.Client;

/// <summary>
/// A signed request for blocks from the peer's Deliver service: a <c>DELIVER_SEEK_INFO</c> envelope whose
/// <c>SeekInfo</c> runs from the start position to the largest block number (i.e. for ever).
/// <typeparamref name="TBlock"/> is <see cref="Common.Block"/> (full blocks), <see cref="FilteredBlock"/>
/// (transaction ids, validation codes and event names only; readable by more identities) or
/// <see cref="BlockAndPrivateData"/> (full blocks with the private write sets the caller may read).
/// </summary>
public sealed class BlockEventsRequest<TBlock> : ISignable where TBlock : class
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;
    private readonly Common.Envelope _envelope;
    private readonly TimeSpan? _timeout;

    internal BlockEventsRequest(GatewayClient client, SigningIdentity signingIdentity, Common.Envelope envelope, TimeSpan? timeout)
    {
        _client = client;
        _signingIdentity = signingIdentity;
        _envelope = envelope;
        _timeout = timeout;
    }

    private static Method<Common.Envelope, DeliverResponse> DeliverMethod =>
        typeof(TBlock) == typeof(FilteredBlock) ? GatewayMethods.DeliverFiltered
        : typeof(TBlock) == typeof(BlockAndPrivateData) ? GatewayMethods.DeliverWithPrivateData
        : GatewayMethods.Deliver;

    internal static Common.Envelope Build(SigningIdentity signingIdentity, string channelName, EventsOptions options, byte[]? tlsCertificateHash, TimeProvider? clock = null)
    {
        var channelHeader = new Common.ChannelHeader
        {
            Type = (int)Common.HeaderType.DeliverSeekInfo,
            ChannelId = channelName,
            Epoch = 0,
            Timestamp = Timestamp.FromDateTimeOffset((clock ?? TimeProvider.System).GetUtcNow()),
        };
        if (tlsCertificateHash is not null) channelHeader.TlsCertHash = ByteString.CopyFrom(tlsCertificateHash);
        var seekInfo = new Orderer.SeekInfo
        {
            Start = options.StartPosition(),
            Stop = new Orderer.SeekPosition { Specified = new Orderer.SeekSpecified { Number = ulong.MaxValue } },
        };
        var payload = new Common.Payload
        {
            Header = new Common.Header
            {
                ChannelHeader = channelHeader.ToByteString(),
                SignatureHeader = new Common.SignatureHeader { Creator = ByteString.CopyFrom(signingIdentity.Creator) }.ToByteString(),
            },
            Data = seekInfo.ToByteString(),
        };
        return new Common.Envelope { Payload = payload.ToByteString() };
    }

    /// <summary>The serialized <c>common.Envelope</c>.</summary>
    public byte[] Bytes => _envelope.ToByteArray();

    /// <summary>SHA-256 of the envelope payload.</summary>
    public byte[] Digest => SigningIdentity.Digest(_envelope.Payload.Span);

    public bool IsSigned => !_envelope.Signature.IsEmpty;

    internal void SetSignature(byte[] signature) => _envelope.Signature = ByteString.CopyFrom(signature);

    /// <summary>Streams blocks in order until the token is cancelled or the loop is left.</summary>
    /// <exception cref="GatewayException">The stream failed, or the peer answered with a non-success status (e.g. FORBIDDEN).</exception>
    public async IAsyncEnumerable<TBlock> GetBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!IsSigned) SetSignature(_signingIdentity.Sign(_envelope.Payload.Span));
        await foreach (var response in _client.DeliverAsync(DeliverMethod, _envelope, _timeout, cancellationToken))
        {
            switch (response.TypeCase)
            {
                case DeliverResponse.TypeOneofCase.Block when typeof(TBlock) == typeof(Common.Block):
                    yield return (TBlock)(object)response.Block;
                    break;
                case DeliverResponse.TypeOneofCase.FilteredBlock when typeof(TBlock) == typeof(FilteredBlock):
                    yield return (TBlock)(object)response.FilteredBlock;
                    break;
                case DeliverResponse.TypeOneofCase.BlockAndPrivateData when typeof(TBlock) == typeof(BlockAndPrivateData):
                    yield return (TBlock)(object)response.BlockAndPrivateData;
                    break;
                case DeliverResponse.TypeOneofCase.Status:
                    if (response.Status == Common.Status.Success) yield break;
                    throw new GatewayException(RpcErrors.Create(ToStatusCode(response.Status),
                        $"The peer ended block delivery with status {(int)response.Status} ({response.Status})."));
                default:
                    throw new FormatException($"Unexpected deliver response: {response.TypeCase}.");
            }
        }
    }

    /// <summary>Deliver reports HTTP-like statuses in the stream; callers see them as the matching gRPC codes.</summary>
    private static StatusCode ToStatusCode(Common.Status status) => status switch
    {
        Common.Status.BadRequest => StatusCode.InvalidArgument,
        Common.Status.Forbidden => StatusCode.PermissionDenied,
        Common.Status.NotFound => StatusCode.NotFound,
        Common.Status.ServiceUnavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
