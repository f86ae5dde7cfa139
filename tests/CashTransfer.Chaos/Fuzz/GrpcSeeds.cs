using CashTransfer.Gateway.Ledger;
using Fabric.Client;
using Fabric.Client.Configuration;
using Google.Protobuf;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Valid messages to mutate, per method: real Fabric 2.5 bytes from ../shared/vectors (another channel and chaincode:
/// they exercise the early refusals), and messages signed for this run's network by an agency user through
/// Fabric.Client (they get past the signature and channel checks, so mutations reach the deeper parsers).
/// </summary>
public sealed class GrpcSeeds
{
    public Dictionary<string, List<byte[]>> ByMethod { get; } = new(StringComparer.Ordinal);

    /// <summary>Chaincode stream transcripts (peer-to-chaincode messages in order), each one conversation.</summary>
    public List<List<byte[]>> ChaincodeConversations { get; } = [];

    public static async Task<GrpcSeeds> CreateAsync(string vectors, string operatorSettings, string gatewaySettings, string channel, string chaincode, string terminalId, CancellationToken ct)
    {
        var seeds = new GrpcSeeds();
        seeds.AddVectors(vectors);
        using var operatorConnection = GatewayConnection.Open(GatewaySettings.Load(operatorSettings));
        using var gatewayConnection = GatewayConnection.Open(GatewaySettings.Load(gatewaySettings));
        var settings = GatewaySettings.Load(operatorSettings);
        var network = operatorConnection.Gateway.GetNetwork(channel);
        var contract = network.GetContract(chaincode);
        var proposals = new List<Proposal>
        {
            contract.NewProposal(ChaincodeFunctions.GetTerminal, new ProposalOptions().AddArguments(terminalId)),
            contract.NewProposal(ChaincodeFunctions.GetHistory, new ProposalOptions().AddArguments("terminal", terminalId)),
            gatewayConnection.Gateway.GetNetwork(channel).GetContract(chaincode).NewProposal(ChaincodeFunctions.Redeem,
                new ProposalOptions().AddArguments("{\"receipt\":{\"redemptionId\":\"r1\",\"terminalId\":\"" + terminalId + "\"},\"signature\":\"AA==\"}")),
        };
        foreach (var proposal in proposals)
        {
            var signed = global::Gateway.ProposedTransaction.Parser.ParseFrom(proposal.Bytes).Proposal;
            seeds.Add("Endorse", new global::Gateway.EndorseRequest { TransactionId = proposal.TransactionId, ChannelId = channel, ProposedTransaction = signed });
            seeds.Add("Evaluate", new global::Gateway.EvaluateRequest { TransactionId = proposal.TransactionId, ChannelId = channel, ProposedTransaction = signed });
            seeds.Add("ChaincodeTransaction", new Protos.ChaincodeMessage
            {
                Type = Protos.ChaincodeMessage.Types.Type.Transaction, Txid = proposal.TransactionId, ChannelId = channel, Proposal = signed,
                Payload = new Protos.ChaincodeInput { Args = { ByteString.CopyFromUtf8(ChaincodeFunctions.GetTerminal), ByteString.CopyFromUtf8(terminalId) } }.ToByteString(),
            });
        }
        // One endorsed, signed transaction: its submission is harmless (a read-only query) and every mutation of it is a new case.
        var endorsed = await proposals[0].EndorseAsync(cancellationToken: ct);
        var prepared = global::Gateway.PreparedTransaction.Parser.ParseFrom(endorsed.Bytes);
        seeds.Add("Submit", new global::Gateway.SubmitRequest { TransactionId = prepared.TransactionId, ChannelId = channel, PreparedTransaction = prepared.Envelope });
        var identity = settings.LoadIdentity();
        using var signer = settings.LoadSigner();
        var status = new global::Gateway.CommitStatusRequest { TransactionId = prepared.TransactionId, ChannelId = channel, Identity = ByteString.CopyFrom(identity.ToSerializedIdentity()) }.ToByteString();
        seeds.Add("CommitStatus", new global::Gateway.SignedCommitStatusRequest { Request = status, Signature = ByteString.CopyFrom(signer.Sign(status.Span)) });
        seeds.ByMethod.GetOrAdd("ChaincodeEvents").Add(network.NewChaincodeEventsRequest(chaincode).Bytes);
        seeds.ByMethod.GetOrAdd("Deliver").Add(network.NewBlockEventsRequest().Bytes);
        seeds.ByMethod.GetOrAdd("Deliver").Add(network.NewFilteredBlockEventsRequest().Bytes);
        seeds.ByMethod.GetOrAdd("Deliver").Add(prepared.Envelope.ToByteArray());
        return seeds;
    }

    private void Add(string method, IMessage message) => ByMethod.GetOrAdd(method).Add(message.ToByteArray());

    private void AddVectors(string vectors)
    {
        var gateway = Path.Combine(vectors, "gateway");
        if (Directory.Exists(gateway))
            foreach (var file in Directory.EnumerateFiles(gateway, "*-request.bin", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var method = Path.GetFileName(file).Split('-')[1] switch
                {
                    "endorse" => "Endorse", "submit" => "Submit", "evaluate" => "Evaluate", "commitstatus" => "CommitStatus", "chaincodeevents" => "ChaincodeEvents", _ => null,
                };
                if (method is not null) ByMethod.GetOrAdd(method).Add(File.ReadAllBytes(file));
            }
        var chaincode = Path.Combine(vectors, "chaincode");
        if (Directory.Exists(chaincode))
            foreach (var transcript in Directory.EnumerateDirectories(chaincode).Order(StringComparer.Ordinal))
            {
                var messages = Directory.EnumerateFiles(transcript, "*-peer-to-cc.bin").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
                if (messages.Count > 0) ChaincodeConversations.Add(messages);
            }
    }
}

internal static class SeedDictionary
{
    public static List<byte[]> GetOrAdd(this Dictionary<string, List<byte[]>> seeds, string method) =>
        seeds.TryGetValue(method, out var list) ? list : seeds[method] = [];
}
