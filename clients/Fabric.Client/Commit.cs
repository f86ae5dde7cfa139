using Fabric.Client.Internal;
using Gateway;
using Google.Protobuf;

namespace Fabric.Client;

/// <summary>
/// A signed request for one transaction's commit status. Asking is idempotent: the gateway answers once the
/// transaction is in a block, with its block number and validation code.
/// </summary>
public sealed class Commit : ISignable
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;
    private readonly SignedCommitStatusRequest _signed;

    internal Commit(GatewayClient client, SigningIdentity signingIdentity, SignedCommitStatusRequest signed, string transactionId)
    {
        _client = client;
        _signingIdentity = signingIdentity;
        _signed = signed;
        TransactionId = transactionId;
    }

    public string TransactionId { get; }

    /// <summary>The serialized <c>gateway.SignedCommitStatusRequest</c>.</summary>
    public byte[] Bytes => _signed.ToByteArray();

    /// <summary>SHA-256 of the inner request bytes: what the client signs.</summary>
    public byte[] Digest => SigningIdentity.Digest(_signed.Request.Span);

    public bool IsSigned => !_signed.Signature.IsEmpty;

    /// <summary>True when the request is signed or the gateway can sign it.</summary>
    internal bool CanBeSent => IsSigned || _signingIdentity.CanSign;

    internal void SetSignature(byte[] signature) => _signed.Signature = ByteString.CopyFrom(signature);

    /// <summary>Waits until the transaction is committed and returns its status.</summary>
    /// <exception cref="CommitStatusException">The status could not be read (e.g. the deadline passed first).</exception>
    public async Task<CommitStatus> GetStatusAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Sign();
        var response = await _client.CommitStatusAsync(_signed, TransactionId, timeout, cancellationToken);
        return new CommitStatus(TransactionId, response.Result, response.BlockNumber);
    }

    /// <summary>One attempt with its own deadline and no retry pipeline (used to resolve an unknown submit outcome).</summary>
    internal async Task<CommitStatus> GetStatusOnceAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Sign();
        var response = await _client.CommitStatusOnceAsync(_signed, TransactionId, timeout, cancellationToken);
        return new CommitStatus(TransactionId, response.Result, response.BlockNumber);
    }

    private void Sign()
    {
        if (!IsSigned) SetSignature(_signingIdentity.Sign(_signed.Request.Span));
    }
}
