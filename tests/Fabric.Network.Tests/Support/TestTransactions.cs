using Fabric.Protocol.Transactions;
using Common;
using Fabric.Network.Crypto;
using Fabric.Network.Endorsing;
using Fabric.Protocol.Identity;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Kvrwset;
using Protos;

namespace Fabric.Network.Tests.Support;

/// <summary>Builds proposals and endorsed transactions the way a Fabric client and its endorsers would.</summary>
public static class TestTransactions
{
    public static SignedProposal Proposal(NodeCredentials client, string channel, string chaincode, params string[] args)
    {
        var creator = ByteString.CopyFrom(client.Identity.ToSerializedIdentity());
        var nonce = TransactionId.NewNonce();
        var channelHeader = new ChannelHeader
        {
            Type = (int)HeaderType.EndorserTransaction,
            ChannelId = channel,
            TxId = TransactionId.Compute(nonce, creator.Span),
            Timestamp = Timestamp.FromDateTime(DateTime.UtcNow),
            Extension = new ChaincodeHeaderExtension { ChaincodeId = new ChaincodeID { Name = chaincode } }.ToByteString(),
        };
        var header = new Header
        {
            ChannelHeader = channelHeader.ToByteString(),
            SignatureHeader = new SignatureHeader { Creator = creator, Nonce = ByteString.CopyFrom(nonce) }.ToByteString(),
        };
        var input = new ChaincodeInput();
        input.Args.AddRange(args.Select(ByteString.CopyFromUtf8));
        var invocation = new ChaincodeInvocationSpec
        {
            ChaincodeSpec = new ChaincodeSpec { ChaincodeId = new ChaincodeID { Name = chaincode }, Input = input, Type = ChaincodeSpec.Types.Type.Node },
        };
        var proposal = new Proposal
        {
            Header = header.ToByteString(),
            Payload = new ChaincodeProposalPayload { Input = invocation.ToByteString() }.ToByteString(),
        };
        var bytes = proposal.ToByteString();
        using var signer = client.CreateSigner();
        return new SignedProposal { ProposalBytes = bytes, Signature = ByteString.CopyFrom(signer.Sign(bytes.Span)) };
    }

    public static ChaincodeAction Action(string chaincode, KVRWSet rwset, string result = "ok")
    {
        var txRwSet = new Rwset.TxReadWriteSet { DataModel = Rwset.TxReadWriteSet.Types.DataModel.Kv };
        txRwSet.NsRwset.Add(new Rwset.NsReadWriteSet { Namespace = chaincode, Rwset = rwset.ToByteString() });
        return new ChaincodeAction
        {
            Results = txRwSet.ToByteString(),
            Response = new Response { Status = 200, Payload = ByteString.CopyFromUtf8(result) },
            ChaincodeId = new ChaincodeID { Name = chaincode, Version = "1.0" },
        };
    }

    /// <summary>A signed envelope for <paramref name="rwset"/>, endorsed by the peers of <paramref name="endorsers"/>.</summary>
    public static (ByteString Envelope, string TxId) Endorsed(TestChannel channel, KVRWSet rwset, params OrganizationMaterial[] endorsers) =>
        Endorsed(channel, rwset, channel.Wfp.User1!, endorsers);

    public static (ByteString Envelope, string TxId) Endorsed(TestChannel channel, KVRWSet rwset, NodeCredentials client, params OrganizationMaterial[] endorsers)
    {
        var signed = Proposal(client, channel.Definition.Channel, "kv", "invoke");
        var parts = ParsedProposal.Parse(signed);
        var action = Action("kv", rwset);
        var responses = endorsers.Select(org =>
        {
            using var signer = org.Node.CreateSigner();
            return ProposalResponses.Endorse(parts, action, org.Node.Identity, signer);
        }).ToList();
        var envelope = ProposalResponses.AssembleTransaction(parts, responses);
        using var clientSigner = client.CreateSigner();
        envelope.Signature = ByteString.CopyFrom(clientSigner.Sign(envelope.Payload.Span));
        return (envelope.ToByteString(), parts.TransactionId);
    }

    public static KVRWSet Write(string key, string value, Ledger.Version? readVersion = null, bool read = false)
    {
        var set = new KVRWSet();
        if (read) set.Reads.Add(new KVRead { Key = key, Version = readVersion?.ToProto() });
        set.Writes.Add(new KVWrite { Key = key, Value = ByteString.CopyFromUtf8(value) });
        return set;
    }
}
