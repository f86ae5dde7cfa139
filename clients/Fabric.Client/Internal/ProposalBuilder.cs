using System.Text;
using Fabric.Protocol.Identity;
using Gateway;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Protos;

namespace Fabric.Client.Internal;

/// <summary>
/// Builds the unsigned proposal for one chaincode invocation exactly as Fabric's gateway clients do:
/// an ENDORSER_TRANSACTION header with a fresh 24-byte nonce and txid = SHA-256(nonce || creator),
/// and a chaincode spec whose first argument is the transaction name.
/// </summary>
internal static class ProposalBuilder
{
    public static ProposedTransaction Build(SigningIdentity signingIdentity, string channelName, string chaincodeName,
        string transactionName, ProposalOptions? options, TimeProvider? clock = null)
    {
        options ??= new ProposalOptions();
        var creator = signingIdentity.Creator;
        var nonce = TransactionId.NewNonce();
        var transactionId = TransactionId.Compute(nonce, creator);
        var chaincodeId = new ChaincodeID { Name = chaincodeName };

        var channelHeader = new Common.ChannelHeader
        {
            Type = (int)Common.HeaderType.EndorserTransaction,
            TxId = transactionId,
            Timestamp = Timestamp.FromDateTimeOffset((clock ?? TimeProvider.System).GetUtcNow()),
            ChannelId = channelName,
            Extension = new ChaincodeHeaderExtension { ChaincodeId = chaincodeId }.ToByteString(),
            Epoch = 0,
        };
        var signatureHeader = new Common.SignatureHeader
        {
            Creator = ByteString.CopyFrom(creator),
            Nonce = ByteString.CopyFrom(nonce),
        };
        var header = new Common.Header
        {
            ChannelHeader = channelHeader.ToByteString(),
            SignatureHeader = signatureHeader.ToByteString(),
        };

        var input = new ChaincodeInput();
        input.Args.Add(ByteString.CopyFrom(Encoding.UTF8.GetBytes(transactionName)));
        foreach (var argument in options.Arguments) input.Args.Add(ByteString.CopyFrom(argument));
        var invocation = new ChaincodeInvocationSpec
        {
            // NODE is what every fabric-gateway client sends; the peer ignores the type for invocations.
            ChaincodeSpec = new ChaincodeSpec { Type = ChaincodeSpec.Types.Type.Node, ChaincodeId = chaincodeId, Input = input },
        };
        var payload = new ChaincodeProposalPayload { Input = invocation.ToByteString() };
        foreach (var (key, value) in options.TransientData) payload.TransientMap[key] = ByteString.CopyFrom(value);

        var proposal = new Protos.Proposal { Header = header.ToByteString(), Payload = payload.ToByteString() };
        var result = new ProposedTransaction
        {
            TransactionId = transactionId,
            Proposal = new SignedProposal { ProposalBytes = proposal.ToByteString() },
        };
        result.EndorsingOrganizations.Add(options.EndorsingOrganizations);
        return result;
    }
}
