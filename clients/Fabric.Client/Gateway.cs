using Fabric.Client.Internal;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc.Client;
using Fabric.Protocol.Identity;
using Google.Protobuf;

namespace Fabric.Client;

/// <summary>
/// A connection to a Fabric Gateway peer for one client identity: the entry point of this library. Several
/// gateways (identities) may share one gRPC channel; the channel is not closed with the gateway.
/// </summary>
/// <example><code>
/// using var channel = FabricChannel.Create(new Uri("https://localhost:7051"), new FabricChannelOptions { TrustedRoots = tlsRoots });
/// var identity = new X509Identity("Org1MSP", File.ReadAllText(certPath));
/// using var signer = EcdsaSigner.FromPem(File.ReadAllText(keyPath));
/// var gateway = Gateway.Connect(channel, identity, signer);
/// var contract = gateway.GetNetwork("mychannel").GetContract("basic");
/// var result = await contract.SubmitTransactionAsync("CreateAsset", "asset1", "blue", "5");
/// </code></example>
public sealed class Gateway
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;

    private Gateway(GatewayClient client, SigningIdentity signingIdentity)
    {
        _client = client;
        _signingIdentity = signingIdentity;
    }

    /// <summary>Connects over a gRPC channel the caller made (a Grpc.Net.Client <c>GrpcChannel</c>, e.g. from <see cref="FabricChannel"/>).</summary>
    /// <param name="channel">The channel; it is not closed with the gateway.</param>
    /// <param name="identity">The client identity (MSP id and certificate).</param>
    /// <param name="signer">Signs requests; null when every request will be signed offline.</param>
    /// <param name="options">Deadlines and resilience; defaults when null.</param>
    public static Gateway Connect(ChannelBase channel, X509Identity identity, ISigner? signer, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Connect(channel.CreateCallInvoker(), identity, signer, options);
    }

    /// <summary>Connects over any gRPC <see cref="CallInvoker"/>: a channel's, one with interceptors, or a test double.</summary>
    public static Gateway Connect(CallInvoker callInvoker, X509Identity identity, ISigner? signer, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        ArgumentNullException.ThrowIfNull(identity);
        return new Gateway(new GatewayClient(callInvoker, options ?? new GatewayOptions()), new SigningIdentity(identity, signer));
    }

    public X509Identity Identity => _signingIdentity.Identity;

    public GatewayOptions Options => _client.Options;

    /// <summary>The named channel.</summary>
    public Network GetNetwork(string channelName) => new(_client, _signingIdentity, channelName);

    /// <summary>Rebuilds a proposal from <see cref="Proposal.Bytes"/>, e.g. one signed elsewhere.</summary>
    public Proposal NewProposal(byte[] bytes)
    {
        var proposed = Parse(global::Gateway.ProposedTransaction.Parser, bytes, "proposal");
        if (proposed.Proposal is null) throw new FormatException("The serialized proposal holds no signed proposal.");
        return new Proposal(_client, _signingIdentity, EnvelopeParser.ChannelOfProposal(proposed.Proposal.ProposalBytes), proposed);
    }

    /// <summary>Rebuilds a proposal from its bytes and attaches a signature made offline over <see cref="Proposal.Digest"/>.</summary>
    public Proposal NewSignedProposal(byte[] bytes, byte[] signature)
    {
        var proposal = NewProposal(bytes);
        proposal.SetSignature(signature);
        return proposal;
    }

    /// <summary>Rebuilds an endorsed transaction from <see cref="Transaction.Bytes"/>.</summary>
    public Transaction NewTransaction(byte[] bytes)
    {
        var prepared = Parse(global::Gateway.PreparedTransaction.Parser, bytes, "transaction");
        if (prepared.Envelope is null) throw new FormatException("The serialized transaction holds no envelope.");
        return new Transaction(_client, _signingIdentity, prepared);
    }

    /// <summary>Rebuilds an endorsed transaction and attaches a signature made offline over <see cref="Transaction.Digest"/>.</summary>
    public Transaction NewSignedTransaction(byte[] bytes, byte[] signature)
    {
        var transaction = NewTransaction(bytes);
        transaction.SetSignature(signature);
        return transaction;
    }

    /// <summary>Rebuilds a commit-status request from <see cref="Commit.Bytes"/>.</summary>
    public Commit NewCommit(byte[] bytes)
    {
        var signed = Parse(global::Gateway.SignedCommitStatusRequest.Parser, bytes, "commit status request");
        var request = Parse(global::Gateway.CommitStatusRequest.Parser, signed.Request.ToByteArray(), "commit status request");
        return new Commit(_client, _signingIdentity, signed, request.TransactionId);
    }

    /// <summary>Rebuilds a commit-status request and attaches a signature made offline over <see cref="Commit.Digest"/>.</summary>
    public Commit NewSignedCommit(byte[] bytes, byte[] signature)
    {
        var commit = NewCommit(bytes);
        commit.SetSignature(signature);
        return commit;
    }

    /// <summary>Rebuilds a chaincode events request from <see cref="ChaincodeEventsRequest.Bytes"/>.</summary>
    public ChaincodeEventsRequest NewChaincodeEventsRequest(byte[] bytes) =>
        new(_client, _signingIdentity, Parse(global::Gateway.SignedChaincodeEventsRequest.Parser, bytes, "chaincode events request"), _client.Options.EventsTimeout);

    /// <summary>Rebuilds a chaincode events request and attaches a signature made offline over its digest.</summary>
    public ChaincodeEventsRequest NewSignedChaincodeEventsRequest(byte[] bytes, byte[] signature)
    {
        var request = NewChaincodeEventsRequest(bytes);
        request.SetSignature(signature);
        return request;
    }

    /// <summary>Rebuilds a block events request (full or filtered) and attaches a signature made offline over its digest.</summary>
    public BlockEventsRequest<TBlock> NewSignedBlockEventsRequest<TBlock>(byte[] bytes, byte[] signature) where TBlock : class
    {
        var request = new BlockEventsRequest<TBlock>(_client, _signingIdentity, Parse(Common.Envelope.Parser, bytes, "block events request"), _client.Options.EventsTimeout);
        request.SetSignature(signature);
        return request;
    }

    private static T Parse<T>(MessageParser<T> parser, byte[] bytes, string what) where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"The bytes are not a serialized {what}: {e.Message}", e);
        }
    }
}
