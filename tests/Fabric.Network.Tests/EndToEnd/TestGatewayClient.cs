using Fabric.Protocol.Transactions;
using System.Security.Cryptography.X509Certificates;
using Common;
using Grpc.Core;
using Grpc.Net.Client;
using Fabric.Grpc;
using Fabric.Grpc.Client;
using Fabric.Network.Crypto;
using Fabric.Network.Endorsing;
using Fabric.Network.Gateway;
using Fabric.Network.Hosting;
using Fabric.Network.Tests.Support;
using Gateway;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.Tests.EndToEnd;

/// <summary>A minimal Gateway client for the tests (the real one is Fabric.Client): TLS to one peer, one identity.</summary>
public sealed class TestGatewayClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly string _channelName;

    public TestGatewayClient(EmbeddedNetwork network, PeerEndpoint peer, NodeCredentials identity)
    {
        Identity = identity;
        _channelName = network.ChannelName;
        _channel = peer.OpenChannel();
    }

    public NodeCredentials Identity { get; }
    public GrpcChannel Channel => _channel;

    public SignedProposal Proposal(params string[] args) => TestTransactions.Proposal(Identity, _channelName, "kv", args);

    public static string TxId(SignedProposal proposal) => ParsedProposal.Parse(proposal).TransactionId;

    public Task<EndorseResponse> EndorseAsync(SignedProposal proposal, params string[] orgs)
    {
        var request = new EndorseRequest { TransactionId = TxId(proposal), ChannelId = _channelName, ProposedTransaction = proposal };
        request.EndorsingOrganizations.AddRange(orgs);
        return _channel.UnaryAsync(PeerMethods.Endorse, request, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
    }

    public Envelope Sign(Envelope prepared)
    {
        using var signer = Identity.CreateSigner();
        var signed = prepared.Clone();
        signed.Signature = ByteString.CopyFrom(signer.Sign(signed.Payload.Span));
        return signed;
    }

    public Task<SubmitResponse> SubmitAsync(string txId, Envelope signed) =>
        _channel.UnaryAsync(PeerMethods.Submit, new SubmitRequest { TransactionId = txId, ChannelId = _channelName, PreparedTransaction = signed }, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));

    public Task<CommitStatusResponse> CommitStatusAsync(string txId)
    {
        var request = new CommitStatusRequest { TransactionId = txId, ChannelId = _channelName, Identity = ByteString.CopyFrom(Identity.Identity.ToSerializedIdentity()) }.ToByteString();
        using var signer = Identity.CreateSigner();
        return _channel.UnaryAsync(PeerMethods.CommitStatus, new SignedCommitStatusRequest { Request = request, Signature = ByteString.CopyFrom(signer.Sign(request.Span)) },
            FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Endorse, sign, submit, wait for the commit status.</summary>
    public async Task<(string TxId, CommitStatusResponse Status, EndorseResponse Endorsed)> SubmitTransactionAsync(params string[] args)
    {
        var proposal = Proposal(args);
        var txId = TxId(proposal);
        var endorsed = await EndorseAsync(proposal);
        await SubmitAsync(txId, Sign(endorsed.PreparedTransaction));
        return (txId, await CommitStatusAsync(txId), endorsed);
    }

    public async Task<Response> EvaluateAsync(params string[] args)
    {
        var proposal = Proposal(args);
        var response = await _channel.UnaryAsync(PeerMethods.Evaluate,
            new EvaluateRequest { TransactionId = TxId(proposal), ChannelId = _channelName, ProposedTransaction = proposal }, FabricCallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
        return response.Result;
    }

    /// <summary>A signed SeekInfo envelope for the Deliver service.</summary>
    public Envelope SeekEnvelope(ulong start, ulong stop)
    {
        var seek = new Orderer.SeekInfo
        {
            Start = new Orderer.SeekPosition { Specified = new Orderer.SeekSpecified { Number = start } },
            Stop = new Orderer.SeekPosition { Specified = new Orderer.SeekSpecified { Number = stop } },
            Behavior = Orderer.SeekInfo.Types.SeekBehavior.BlockUntilReady,
        };
        var payload = new Payload
        {
            Header = new Header
            {
                ChannelHeader = new ChannelHeader { Type = (int)HeaderType.DeliverSeekInfo, ChannelId = _channelName }.ToByteString(),
                SignatureHeader = new SignatureHeader { Creator = ByteString.CopyFrom(Identity.Identity.ToSerializedIdentity()), Nonce = ByteString.CopyFrom(Fabric.Protocol.Identity.TransactionId.NewNonce()) }.ToByteString(),
            },
            Data = seek.ToByteString(),
        }.ToByteString();
        using var signer = Identity.CreateSigner();
        return new Envelope { Payload = payload, Signature = ByteString.CopyFrom(signer.Sign(payload.Span)) };
    }

    /// <summary>The status, message and every peer's error detail, for failure messages.</summary>
    public static string Describe(RpcException e) =>
        $"{e.StatusCode}: {e.Status.Detail} [{string.Join("; ", e.GetStatusDetails()?.Details.Select(d => d.Unpack<ErrorDetail>().Message) ?? [])}]";

    /// <summary>Awaits a call that should succeed; a failure reports every peer's error detail.</summary>
    public static async Task<T> Explained<T>(Task<T> call)
    {
        try { return await call; }
        catch (RpcException e) { throw new Xunit.Sdk.XunitException("call failed: " + Describe(e)); }
    }

    public void Dispose() => _channel.Dispose();
}
