using Fabric.Client.Internal;
using Gateway;
using Google.Protobuf;

namespace Fabric.Client;

/// <summary>
/// An endorsed transaction: the chaincode's result is known, the ledger is not yet changed. Submit it to the
/// orderer. Submitting the same signed transaction again is safe: Fabric rejects a duplicate transaction id.
/// </summary>
public sealed class Transaction : ISignable
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;
    private readonly PreparedTransaction _prepared;
    private readonly byte[] _result;

    internal Transaction(GatewayClient client, SigningIdentity signingIdentity, PreparedTransaction prepared)
    {
        _client = client;
        _signingIdentity = signingIdentity;
        _prepared = prepared;
        (ChannelName, _result) = EnvelopeParser.ParseTransaction(prepared.Envelope);
    }

    public string TransactionId => _prepared.TransactionId;
    public string ChannelName { get; }

    /// <summary>What the transaction function returned during endorsement.</summary>
    public byte[] Result => (byte[])_result.Clone();

    /// <summary>The serialized <c>gateway.PreparedTransaction</c> (with the signature once signed).</summary>
    public byte[] Bytes => _prepared.ToByteArray();

    /// <summary>SHA-256 of the envelope payload: what the creator signs.</summary>
    public byte[] Digest => SigningIdentity.Digest(_prepared.Envelope.Payload.Span);

    public bool IsSigned => !_prepared.Envelope.Signature.IsEmpty;

    internal Common.Envelope Envelope => _prepared.Envelope;

    internal void SetSignature(byte[] signature) => _prepared.Envelope.Signature = ByteString.CopyFrom(signature);

    /// <summary>
    /// Sends the signed transaction to the orderer and returns without waiting for the commit. With resilience
    /// configured, a submit with an unknown outcome is followed by a commit-status check of this transaction
    /// before the same envelope is sent again.
    /// </summary>
    /// <exception cref="SubmitException">The orderer did not accept the transaction (or the outcome stayed unknown).</exception>
    public async Task<SubmittedTransaction> SubmitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!IsSigned) SetSignature(_signingIdentity.Sign(_prepared.Envelope.Payload.Span));
        var commit = new Commit(_client, _signingIdentity, CommitRequests.New(_signingIdentity, ChannelName, TransactionId), TransactionId);
        var request = new global::Gateway.SubmitRequest { TransactionId = TransactionId, ChannelId = ChannelName, PreparedTransaction = _prepared.Envelope };
        var known = await new SubmitWithRecovery(_client, commit).SubmitAsync(request, timeout, cancellationToken);
        return new SubmittedTransaction(commit, Result, known);
    }
}
