using Fabric.Protocol.Transactions;
using Common;
using Grpc.Core;
using Fabric.Grpc;
using Fabric.Grpc.Server;
using Fabric.Network.Blocks;
using Fabric.Network.Endorsing;
using Fabric.Network.Ledger;
using Fabric.Network.Membership;
using Fabric.Network.Validation;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Gateway;

/// <summary>
/// The <c>gateway.Gateway</c> service of one agency's peer, as a Fabric 2.5 peer serves it: Endorse
/// (on this peer first, then on as many other agencies' peers as the policies need), Submit (to the
/// ordering service), CommitStatus (waits for the commit), Evaluate (on this peer) and ChaincodeEvents.
/// Status codes, messages and error details follow Fabric's gateway.
/// </summary>
public sealed class GatewayService
{
    private readonly EndorsingPeer _local;
    private readonly IReadOnlyList<EndorsingPeer> _peers;
    private readonly ChannelContext _channel;
    private readonly PeerLedger _ledger;
    private readonly Action<ByteString> _submit;
    // Per chaincode function, the peers whose endorsements sufficed last time: the best guess of whom to ask together.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Chaincode, string Function), IReadOnlyList<EndorsingPeer>> _lastPlans = new();

    public GatewayService(EndorsingPeer local, IReadOnlyList<EndorsingPeer> peers, ChannelContext channel, PeerLedger ledger, Action<ByteString> submit)
    {
        _local = local;
        _peers = peers;
        _channel = channel;
        _ledger = ledger;
        _submit = submit;
    }

    public GrpcServiceDefinition Definition() => new GrpcServiceDefinition()
        .AddUnary(PeerMethods.Endorse, EndorseAsync)
        .AddUnary(PeerMethods.Submit, SubmitAsync)
        .AddUnary(PeerMethods.CommitStatus, CommitStatusAsync)
        .AddUnary(PeerMethods.Evaluate, EvaluateAsync)
        .AddServerStreaming(PeerMethods.ChaincodeEvents, (request, responses, context) =>
            new ChaincodeEventsStream(_channel, _ledger).RunAsync(request, responses, context.CancellationToken));

    public async Task<EvaluateResponse> EvaluateAsync(EvaluateRequest request, ServerCallContext context)
    {
        var proposal = Unpack(request.ProposedTransaction, "failed to unpack transaction proposal: ");
        var target = request.TargetOrganizations.Count == 0 ? _local : _peers.FirstOrDefault(p => request.TargetOrganizations.Contains(p.MspId))
            ?? throw GatewayErrors.Create(StatusCode.FailedPrecondition, $"no peers available to evaluate chaincode {proposal.ChaincodeName} in channel {proposal.ChannelId} for organizations {string.Join(",", request.TargetOrganizations)}");
        var response = await target.EvaluateProposalAsync(request.ProposedTransaction, context.CancellationToken).ConfigureAwait(false);
        var (code, message) = Classify(response);
        if (code != StatusCode.OK)
        {
            var detail = GatewayErrors.Detail(target.Address, target.MspId, message);
            // Peer-side failures (no payload) are retried on another peer of the same organisation; there is none.
            throw code == StatusCode.Aborted
                ? GatewayErrors.Create(code, "failed to evaluate transaction, see attached details for more info", [detail])
                : GatewayErrors.Create(code, "evaluate call to endorser returned error: " + message, [detail]);
        }
        var result = response.Response.Clone();
        var action = ChaincodeAction.Parser.ParseFrom(ProposalResponsePayload.Parser.ParseFrom(response.Payload).Extension);
        result.Payload = action.Response?.Payload ?? result.Payload;
        return new EvaluateResponse { Result = result };
    }

    public async Task<EndorseResponse> EndorseAsync(EndorseRequest request, ServerCallContext context)
    {
        if (request.ProposedTransaction is null || request.ProposedTransaction.ProposalBytes.IsEmpty)
            throw GatewayErrors.Create(StatusCode.InvalidArgument, "the proposed transaction must contain a signed proposal");
        var proposal = Unpack(request.ProposedTransaction, "");
        var token = context.CancellationToken;

        var responses = new List<ProposalResponse>();
        if (request.EndorsingOrganizations.Count > 0)
        {
            var chosen = _peers.Where(p => request.EndorsingOrganizations.Contains(p.MspId)).ToList();
            var missing = request.EndorsingOrganizations.Except(chosen.Select(p => p.MspId)).ToList();
            if (missing.Count > 0)
                throw GatewayErrors.Create(StatusCode.Unavailable, $"failed to find any endorsing peers for org(s): {string.Join(", ", missing)}");
            responses.AddRange(await EndorseOnAsync(chosen, request.ProposedTransaction, token).ConfigureAwait(false));
        }
        else
        {
            responses.AddRange(await EndorseByPlanAsync(proposal, request.ProposedTransaction, token).ConfigureAwait(false));
        }

        try
        {
            var envelope = ProposalResponses.AssembleTransaction(proposal, responses);
            return new EndorseResponse { PreparedTransaction = envelope };
        }
        catch (InvalidOperationException e)
        {
            throw GatewayErrors.Create(StatusCode.Aborted, "failed to collect enough transaction endorsements, see attached details for more info",
                [GatewayErrors.Detail(_local.Address, _local.MspId, e.Message)]);
        }
    }

    /// <summary>
    /// Fabric's gateway endorses on its own peer first and chooses the other peers from that response's write set
    /// (key-level policies, collections). Asking the other peers only after that response doubles the latency of a
    /// two-peer endorsement, so the peers that sufficed last time for the same function (at first: those of the chaincode
    /// policy) are asked together with the own peer; the write set then confirms them, and when it needs other peers
    /// they are chosen from it as before (reusing the answers already there). A proposal with transient data, or a
    /// chaincode with collections, goes the sequential way: private data must reach only member peers.
    /// </summary>
    private async Task<IReadOnlyList<ProposalResponse>> EndorseByPlanAsync(ParsedProposal proposal, SignedProposal signed, CancellationToken token)
    {
        var chaincodePolicy = _channel.ChaincodePolicies.GetValueOrDefault(proposal.ChaincodeName, _channel.Policies.Endorsement);
        var function = (proposal.ChaincodeName, proposal.Input.Args.Count > 0 ? proposal.Input.Args[0].ToStringUtf8() : "");
        IReadOnlyList<EndorsingPeer> together = [_local];
        if (proposal.Payload.TransientMap.Count == 0 && !_channel.Collections.All.Any(c => c.Chaincode == proposal.ChaincodeName))
        {
            var guess = _lastPlans.GetValueOrDefault(function) ?? EndorsementPlanner.Choose(_peers, _local, p => p.Identity, chaincodePolicy.IsSatisfiedBy);
            if (guess is not null && guess[0] == _local) together = guess;
        }
        var answers = await Task.WhenAll(together.Select(p => p.ProcessProposalAsync(signed, token))).ConfigureAwait(false);

        var first = answers[0];
        var (code, message) = Classify(first);
        if (code != StatusCode.OK)
            throw GatewayErrors.Create(StatusCode.Aborted, "failed to endorse transaction, see attached details for more info", [GatewayErrors.Detail(_local.Address, _local.MspId, message)]);
        var sets = EndorsedActionSets(first);
        bool Satisfies(IReadOnlyList<ValidatedIdentity> signers) =>
            TransactionValidator.IsEndorsementSatisfied(proposal.ChaincodeName, chaincodePolicy, sets, signers, _ledger.State, new UpdateBatch(), _channel.Collections);
        if (together.Count > 1 && Satisfies(together.Select(p => p.Identity).ToList()))
            return Checked(together, answers);

        // Private data goes only to member organisations, so only their peers may endorse its writes (as Fabric's gateway plans).
        var collections = sets.SelectMany(s => s.Raw.CollectionHashedRwset.Where(c => !c.PvtRwsetHash.IsEmpty)
            .Select(c => _channel.Collections.Find(s.Namespace, c.CollectionName))).OfType<PrivateData.PrivateCollection>().ToList();
        var candidates = _peers.Where(p => collections.All(c => c.IsMember(p.MspId))).ToList();
        var plan = EndorsementPlanner.Choose(candidates, _local, p => p.Identity, Satisfies)
            ?? throw GatewayErrors.Create(StatusCode.FailedPrecondition, "no combination of peers can be derived which satisfy the endorsement policy");
        if (together.Count > 1) _lastPlans[function] = plan;
        var responses = new List<ProposalResponse>();
        if (plan.Contains(_local)) responses.Add(first);
        var others = plan.Where(p => p != _local).ToList();
        var known = together.Zip(answers).Where(a => a.First != _local && Classify(a.Second).Code == StatusCode.OK).ToDictionary(a => a.First, a => a.Second);
        var asked = await EndorseOnAsync(others.Where(p => !known.ContainsKey(p)).ToList(), signed, token).ConfigureAwait(false);
        var fresh = others.Where(p => !known.ContainsKey(p)).Zip(asked).ToDictionary(a => a.First, a => a.Second);
        responses.AddRange(others.Select(p => known.TryGetValue(p, out var r) ? r : fresh[p]));
        return responses;
    }

    public Task<SubmitResponse> SubmitAsync(SubmitRequest request, ServerCallContext context)
    {
        var envelope = request.PreparedTransaction
            ?? throw GatewayErrors.Create(StatusCode.InvalidArgument, "a prepared transaction is required");
        if (envelope.Signature.IsEmpty) throw GatewayErrors.Create(StatusCode.InvalidArgument, "prepared transaction must be signed");
        if (request.ChannelId != _channel.ChannelId) throw GatewayErrors.Create(StatusCode.FailedPrecondition, $"channel '{request.ChannelId}' not found");
        // The orderer's Broadcast checks: well-formed headers, and a creator who signed and satisfies the channel's Writers.
        var refusal = BroadcastCheck(envelope);
        if (refusal is not null)
            throw GatewayErrors.Create(StatusCode.Aborted, $"received unsuccessful response from orderer: status=FORBIDDEN, info={refusal}");
        var bytes = envelope.ToByteString();
        try
        {
            _submit(bytes);
        }
        catch (ArgumentException e)
        {
            throw GatewayErrors.Create(StatusCode.Aborted, $"received unsuccessful response from orderer: status=BAD_REQUEST, info={e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw GatewayErrors.Create(StatusCode.Unavailable, "no orderers could successfully process transaction", [GatewayErrors.Detail("orderer", "OrdererMSP", e.Message)]);
        }
        return Task.FromResult(new SubmitResponse());
    }

    public async Task<CommitStatusResponse> CommitStatusAsync(SignedCommitStatusRequest signed, ServerCallContext context)
    {
        if (signed.Request.IsEmpty) throw GatewayErrors.Create(StatusCode.InvalidArgument, "a commit status request is required");
        CommitStatusRequest request;
        try { request = CommitStatusRequest.Parser.ParseFrom(signed.Request); }
        catch (InvalidProtocolBufferException e) { throw GatewayErrors.Create(StatusCode.InvalidArgument, "invalid status request: " + e.Message); }
        SignedRequestChecker.Check(_channel, request.ChannelId, request.Identity, signed.Request, signed.Signature, _channel.Policies.Readers);
        var committed = await _ledger.WaitForTransactionAsync(request.TransactionId, context.CancellationToken).ConfigureAwait(false);
        return new CommitStatusResponse { Result = committed.Code, BlockNumber = committed.BlockNumber };
    }

    private string? BroadcastCheck(Envelope envelope)
    {
        try
        {
            var header = EnvelopeHeader.Read(envelope);
            if (header.Channel.ChannelId != _channel.ChannelId) return $"channel '{header.Channel.ChannelId}' not found";
            var creator = _channel.Membership.Validate(header.Signature.Creator.Span);
            if (!_channel.Membership.Verify(creator, envelope.Payload.Span, envelope.Signature.Span)) return "signature did not satisfy policy /Channel/Writers";
            if (!_channel.Policies.Writers.IsSatisfiedBy([creator])) return "the creator does not satisfy policy /Channel/Writers";
            return null;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException or Membership.IdentityException)
        {
            return "bad envelope: " + e.Message;
        }
    }

    private async Task<IReadOnlyList<ProposalResponse>> EndorseOnAsync(IReadOnlyList<EndorsingPeer> peers, SignedProposal proposal, CancellationToken token)
    {
        var results = await Task.WhenAll(peers.Select(p => p.ProcessProposalAsync(proposal, token))).ConfigureAwait(false);
        return Checked(peers, results);
    }

    /// <summary>The responses when every peer endorsed; otherwise ABORTED with the failing peers' details.</summary>
    private static IReadOnlyList<ProposalResponse> Checked(IReadOnlyList<EndorsingPeer> peers, ProposalResponse[] results)
    {
        var errors = new List<ErrorDetail>();
        for (int i = 0; i < peers.Count; i++)
        {
            var (code, message) = Classify(results[i]);
            if (code != StatusCode.OK) errors.Add(GatewayErrors.Detail(peers[i].Address, peers[i].MspId, message));
        }
        if (errors.Count > 0)
            throw GatewayErrors.Create(StatusCode.Aborted, "failed to collect enough transaction endorsements, see attached details for more info", errors);
        return results;
    }

    private static ParsedProposal Unpack(SignedProposal? signed, string prefix)
    {
        if (signed is null || signed.ProposalBytes.IsEmpty)
            throw GatewayErrors.Create(StatusCode.InvalidArgument, prefix + "a signed proposal is required");
        try { return ParsedProposal.Parse(signed); }
        catch (FormatException e) { throw GatewayErrors.Create(StatusCode.InvalidArgument, prefix + e.Message); }
    }

    private static IReadOnlyList<NamespaceReadWriteSet> EndorsedActionSets(ProposalResponse response)
    {
        var action = ChaincodeAction.Parser.ParseFrom(ProposalResponsePayload.Parser.ParseFrom(response.Payload).Extension);
        return Rwset.TxReadWriteSet.Parser.ParseFrom(action.Results).NsRwset
            .Select(ns => new NamespaceReadWriteSet(ns.Namespace, Kvrwset.KVRWSet.Parser.ParseFrom(ns.Rwset), ns)).ToList();
    }

    // Fabric's gateway: a 500 without payload came from the peer (ABORTED); an error status with payload came from the chaincode (UNKNOWN).
    private static (StatusCode Code, string Message) Classify(ProposalResponse response)
    {
        var status = response.Response?.Status ?? 500;
        if (status >= 200 && status < 400) return (StatusCode.OK, "");
        if (response.Payload.IsEmpty && status == 500) return (StatusCode.Aborted, response.Response?.Message ?? "");
        return (StatusCode.Unknown, $"chaincode response {status}, {response.Response?.Message}");
    }
}
