using System.Runtime.CompilerServices;
using Fabric.Client.Internal;
using Gateway;
using Google.Protobuf;

namespace Fabric.Client;

/// <summary>
/// A signed request for a chaincode's events, from a start block or after a checkpointed transaction. Can be
/// signed offline like the other requests.
/// </summary>
public sealed class ChaincodeEventsRequest : ISignable
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;
    private readonly SignedChaincodeEventsRequest _signed;
    private readonly TimeSpan? _timeout;

    internal ChaincodeEventsRequest(GatewayClient client, SigningIdentity signingIdentity, SignedChaincodeEventsRequest signed, TimeSpan? timeout)
    {
        _client = client;
        _signingIdentity = signingIdentity;
        _signed = signed;
        _timeout = timeout;
    }

    internal static SignedChaincodeEventsRequest Build(SigningIdentity signingIdentity, string channelName, string chaincodeName, EventsOptions options)
    {
        var request = new global::Gateway.ChaincodeEventsRequest
        {
            ChannelId = channelName,
            ChaincodeId = chaincodeName,
            Identity = ByteString.CopyFrom(signingIdentity.Creator),
            StartPosition = options.StartPosition(),
        };
        if (options.Checkpoint?.TransactionId is { Length: > 0 } after) request.AfterTransactionId = after;
        return new SignedChaincodeEventsRequest { Request = request.ToByteString() };
    }

    /// <summary>The serialized <c>gateway.SignedChaincodeEventsRequest</c>.</summary>
    public byte[] Bytes => _signed.ToByteArray();

    /// <summary>SHA-256 of the inner request bytes.</summary>
    public byte[] Digest => SigningIdentity.Digest(_signed.Request.Span);

    public bool IsSigned => !_signed.Signature.IsEmpty;

    internal void SetSignature(byte[] signature) => _signed.Signature = ByteString.CopyFrom(signature);

    /// <summary>Streams events until the token is cancelled or the loop is left; each event once, in ledger order.</summary>
    /// <exception cref="GatewayException">The stream failed (reconnect from a checkpoint to continue).</exception>
    public async IAsyncEnumerable<ChaincodeEvent> GetEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!IsSigned) SetSignature(_signingIdentity.Sign(_signed.Request.Span));
        await foreach (var response in _client.ChaincodeEventsAsync(_signed, _timeout, cancellationToken))
        {
            foreach (var e in response.Events)
                yield return new ChaincodeEvent(response.BlockNumber, e.TxId, e.ChaincodeId, e.EventName, e.Payload.ToByteArray());
        }
    }
}
