using Fabric.Client.Internal;
using Gateway;
using Google.Protobuf;

namespace Fabric.Client;

/// <summary>
/// A transaction proposal: the first step of the fine-grained flow. Evaluate it (a query, nothing is written) or
/// endorse it to get a <see cref="Transaction"/> that can be submitted. Each step can be retried on its own.
/// </summary>
/// <example><code>
/// var proposal = contract.NewProposal("transfer", new ProposalOptions().AddArguments("asset1", "Org2MSP"));
/// var transaction = await proposal.EndorseAsync();
/// var submitted = await transaction.SubmitAsync();
/// var status = await submitted.GetStatusAsync();
/// </code></example>
public sealed class Proposal : ISignable
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;
    private readonly ProposedTransaction _proposed;

    internal Proposal(GatewayClient client, SigningIdentity signingIdentity, string channelName, ProposedTransaction proposed)
    {
        _client = client;
        _signingIdentity = signingIdentity;
        ChannelName = channelName;
        _proposed = proposed;
    }

    public string TransactionId => _proposed.TransactionId;
    public string ChannelName { get; }

    /// <summary>The serialized <c>gateway.ProposedTransaction</c> (with the signature once signed).</summary>
    public byte[] Bytes => _proposed.ToByteArray();

    /// <summary>SHA-256 of the proposal bytes: what the creator signs.</summary>
    public byte[] Digest => SigningIdentity.Digest(_proposed.Proposal.ProposalBytes.Span);

    public bool IsSigned => !_proposed.Proposal.Signature.IsEmpty;

    /// <summary>The signed proposal as it is sent to the gateway.</summary>
    internal Protos.SignedProposal SignedProposal => _proposed.Proposal;

    internal void SetSignature(byte[] signature) => _proposed.Proposal.Signature = ByteString.CopyFrom(signature);

    /// <summary>Runs the transaction function on a peer and returns its result without updating the ledger.</summary>
    /// <exception cref="GatewayException">The gateway could not evaluate; <see cref="GatewayException.Details"/> says where and why.</exception>
    public async Task<byte[]> EvaluateAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Sign();
        var request = new EvaluateRequest { TransactionId = TransactionId, ChannelId = ChannelName, ProposedTransaction = _proposed.Proposal };
        request.TargetOrganizations.Add(_proposed.EndorsingOrganizations);
        var response = await _client.EvaluateAsync(request, timeout, cancellationToken);
        return response.Result?.Payload.ToByteArray() ?? [];
    }

    /// <summary>Collects enough endorsements to commit; the result is an endorsed, not yet submitted, transaction.</summary>
    /// <exception cref="EndorseException">Endorsement failed; nothing was sent to the orderer.</exception>
    public async Task<Transaction> EndorseAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Sign();
        var request = new EndorseRequest { TransactionId = TransactionId, ChannelId = ChannelName, ProposedTransaction = _proposed.Proposal };
        request.EndorsingOrganizations.Add(_proposed.EndorsingOrganizations);
        var response = await _client.EndorseAsync(request, timeout, cancellationToken);
        if (response.PreparedTransaction is null)
            throw new FormatException($"The gateway endorsed transaction {TransactionId} but returned no transaction envelope.");
        var prepared = new PreparedTransaction { TransactionId = TransactionId, Envelope = response.PreparedTransaction };
        return new Transaction(_client, _signingIdentity, prepared);
    }

    private void Sign()
    {
        if (!IsSigned) SetSignature(_signingIdentity.Sign(_proposed.Proposal.ProposalBytes.Span));
    }
}
