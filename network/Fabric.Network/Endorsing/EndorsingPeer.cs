using Fabric.Protocol.Transactions;
using Fabric.Network.Configuration;
using Fabric.Network.Crypto;
using Fabric.Network.Ledger;
using Fabric.Network.Membership;
using Fabric.Network.PrivateData;
using Fabric.Network.SystemChaincodes;
using Fabric.Network.Validation;
using Fabric.Protocol.Identity;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Endorsing;

/// <summary>
/// One agency's peer as an endorser: checks a proposal, runs the chaincode over its own connection to the
/// chaincode server, and signs the proposal response with its own key. A chaincode error (status 400 or
/// more) comes back with the response payload but no endorsement, as on Fabric; a refused proposal or a
/// failed simulation comes back as status 500 without payload.
/// </summary>
public sealed class EndorsingPeer : IAsyncDisposable
{
    private readonly PeerLedger _ledger;
    private readonly ChannelContext _channel;
    private readonly IReadOnlyDictionary<string, (ChaincodeDefinition Definition, ChaincodeConnection Connection)> _chaincodes;
    private readonly EcdsaSigner _signer;

    public EndorsingPeer(OrganizationMaterial organization, PeerLedger ledger, ChannelContext channel,
        IReadOnlyDictionary<string, (ChaincodeDefinition Definition, ChaincodeConnection Connection)> chaincodes)
    {
        Organization = organization;
        _ledger = ledger;
        _channel = channel;
        _chaincodes = chaincodes;
        _signer = organization.Node.CreateSigner();
        Identity = channel.Membership.Validate(organization.Node.Identity.ToSerializedIdentity());
    }

    public OrganizationMaterial Organization { get; }
    public string MspId => Organization.MspId;
    public ValidatedIdentity Identity { get; }

    /// <summary>host:port this peer listens on; what the gateway names in error details.</summary>
    public string Address { get; set; } = "";

    /// <summary>The channel's private data collections.</summary>
    public ChannelCollections Collections { get; init; } = ChannelCollections.None;

    /// <summary>Where this peer's endorsements hand their private data (in place of gossip); null refuses private writes.</summary>
    public PrivateDataDistributor? PrivateData { get; init; }

    /// <summary>How long a chaincode may run one transaction (Fabric's chaincode.executetimeout).</summary>
    public TimeSpan ExecuteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks, simulates and (when the chaincode succeeds) endorses a proposal.</summary>
    public Task<ProposalResponse> ProcessProposalAsync(SignedProposal signedProposal, CancellationToken cancellationToken) =>
        RunProposalAsync(signedProposal, endorse: true, cancellationToken);

    /// <summary>
    /// Checks and simulates a proposal for the gateway's Evaluate, which returns only the chaincode's response: the
    /// same answer as <see cref="ProcessProposalAsync"/> without the endorsement's signature and without handing on
    /// private data. A Fabric peer signs here too and its gateway drops the signature; the signature was 6 % of the CPU
    /// of saturated evaluates in the client benchmark's profile.
    /// </summary>
    public Task<ProposalResponse> EvaluateProposalAsync(SignedProposal signedProposal, CancellationToken cancellationToken) =>
        RunProposalAsync(signedProposal, endorse: false, cancellationToken);

    private async Task<ProposalResponse> RunProposalAsync(SignedProposal signedProposal, bool endorse, CancellationToken cancellationToken)
    {
        ParsedProposal proposal;
        ValidatedIdentity creator;
        try
        {
            proposal = ParsedProposal.Parse(signedProposal);
            // qscc is read-only: Fabric checks its callers against the channel's Readers, not Writers.
            var acl = proposal.ChaincodeName == QuerySystemChaincode.Name ? _channel.Policies.Readers : _channel.Policies.Writers;
            creator = ProposalChecker.Check(proposal, _channel, _ledger, acl);
        }
        catch (Exception e) when (e is FormatException or ProposalRejectedException)
        {
            return PeerError(e.Message);
        }

        var name = proposal.ChaincodeName;
        if (name == QuerySystemChaincode.Name)
            return SystemChaincodeResponse.Build(proposal, name, QuerySystemChaincode.Invoke(proposal.Input.Args, proposal.ChannelId, _ledger), Organization.Node.Identity, _signer);
        if (!_chaincodes.TryGetValue(name, out var chaincode))
            return PeerError($"make sure the chaincode {name} has been successfully defined on channel {proposal.ChannelId} and try again: chaincode definition for '{name}' not found");

        var simulator = new TxSimulator(_ledger.State, _ledger.History, name, Collections, MspId, creator.MspId) { TxId = proposal.TransactionId };
        ChaincodeExecution execution;
        try
        {
            execution = await chaincode.Connection.ExecuteAsync(proposal, simulator, ExecuteTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is global::Grpc.Core.RpcException or HttpRequestException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return PeerError($"error in simulation: failed to execute transaction {proposal.TransactionId}: could not connect to chaincode {name} at {chaincode.Definition.Address}: {e.Message}");
        }
        if (execution.Failed)
            return PeerError(execution.Unfinished
                ? $"error in simulation: failed to execute transaction {proposal.TransactionId}: {execution.Error}"
                : $"error in simulation: transaction returned with failure: {execution.Error}");

        var results = simulator.BuildReadWriteSet();
        if (endorse && simulator.PrivateReadWriteSet is { } privateData && execution.Response.Status < 400)
        {
            try
            {
                if (PrivateData is null) throw new InvalidOperationException("this peer cannot distribute private data");
                PrivateData.Distribute(MspId, proposal.ChannelId, proposal.TransactionId, privateData, _ledger.Height);
            }
            catch (InvalidOperationException e)
            {
                return PeerError($"error in simulation: {e.Message}");
            }
        }
        var action = new ChaincodeAction
        {
            Results = results.ToByteString(),
            Response = execution.Response,
            ChaincodeId = new ChaincodeID { Name = name, Version = chaincode.Definition.Version },
        };
        if (execution.Event is { } ev)
        {
            action.Events = new ChaincodeEvent { ChaincodeId = name, TxId = proposal.TransactionId, EventName = ev.EventName, Payload = ev.Payload }.ToByteString();
        }
        if (execution.Response.Status >= 400 || !endorse)
        {
            var payload = new ProposalResponsePayload { ProposalHash = ByteString.CopyFrom(proposal.Hash()), Extension = action.ToByteString() };
            return new ProposalResponse { Version = 1, Response = execution.Response, Payload = payload.ToByteString() };
        }
        return ProposalResponses.Endorse(proposal, action, Organization.Node.Identity, _signer);
    }

    public ValueTask DisposeAsync()
    {
        _signer.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ProposalResponse PeerError(string message) => new() { Response = new Response { Status = 500, Message = message } };
}
