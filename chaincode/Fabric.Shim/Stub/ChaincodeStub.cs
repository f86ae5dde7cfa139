using System.Text;
using Fabric.Shim.Handler;
using Google.Protobuf;
using Protos;
using MessageType = Protos.ChaincodeMessage.Types.Type;

namespace Fabric.Shim.Stub;

/// <summary>
/// The stub of one transaction, served by the peer over the chaincode stream: each state operation is one
/// request to the peer, answered before the next one of this transaction is sent. Identity, arguments,
/// transient data and timestamp come from the transaction's signed proposal, without a round trip.
/// </summary>
public sealed partial class ChaincodeStub : IChaincodeStub
{
    /// <summary>The state-metadata key under which Fabric keeps a key-level endorsement policy.</summary>
    public const string ValidationParameterKey = "VALIDATION_PARAMETER";

    private readonly IPeerRequester _peer;
    private readonly ProposalDetails _proposal;

    internal ChaincodeStub(TransactionContext context, ChaincodeInput input, SignedProposal? signedProposal)
        : this(context, context.ChannelId, context.TxId, input, signedProposal)
    {
    }

    internal ChaincodeStub(IPeerRequester peer, string channelId, string txId, ChaincodeInput input, SignedProposal? signedProposal)
    {
        _peer = peer;
        ChannelId = channelId;
        TxId = txId;
        Args = input.Args.Select(arg => arg.ToByteArray()).ToArray();
        Function = Args.Count > 0 ? Encoding.UTF8.GetString(Args[0]) : "";
        Parameters = Args.Skip(1).Select(arg => Encoding.UTF8.GetString(arg)).ToArray();
        IsInit = input.IsInit;
        SignedProposal = signedProposal;
        _proposal = signedProposal is null ? ProposalDetails.None : ProposalDetails.Parse(signedProposal);
    }

    public string TxId { get; }
    public string ChannelId { get; }
    public DateTimeOffset TxTimestamp => _proposal.Timestamp;
    public IReadOnlyList<byte[]> Args { get; }
    public string Function { get; }
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>True when the peer marked this invocation as the chaincode's initialisation.</summary>
    public bool IsInit { get; }

    public SignedProposal? SignedProposal { get; }
    public byte[] Creator => _proposal.Creator;

    /// <summary>SHA-256(nonce || creator || epoch), binding the proposal to its submitter as Fabric defines it.</summary>
    public byte[] Binding => _proposal.Binding;
    public IReadOnlyDictionary<string, byte[]> Transient => _proposal.Transient;

    /// <summary>The event set by <see cref="SetEvent"/>, sent with COMPLETED.</summary>
    internal ChaincodeEvent? Event { get; private set; }

    public async Task<byte[]> GetStateAsync(string key, CancellationToken cancellationToken = default) =>
        (await RequestAsync(MessageType.GetState, new GetState { Key = key ?? "" }, cancellationToken).ConfigureAwait(false)).ToByteArray();

    public Task PutStateAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        return RequestAsync(MessageType.PutState, new PutState { Key = key, Value = ByteString.CopyFrom(value) }, cancellationToken);
    }

    public Task DeleteStateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return RequestAsync(MessageType.DelState, new DelState { Key = key }, cancellationToken);
    }

    public string CreateCompositeKey(string objectType, IReadOnlyList<string> attributes) => CompositeKey.Create(objectType, attributes);

    public (string ObjectType, IReadOnlyList<string> Attributes) SplitCompositeKey(string compositeKey) => CompositeKey.Split(compositeKey);

    public Task<byte[]> GetStateValidationParameterAsync(string key, CancellationToken cancellationToken = default) =>
        GetValidationParameterAsync("", key, cancellationToken);

    public Task SetStateValidationParameterAsync(string key, byte[] endorsementPolicy, CancellationToken cancellationToken = default) =>
        SetValidationParameterAsync("", key, endorsementPolicy, cancellationToken);

    public void SetEvent(string name, byte[] payload)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An event name must be a non-empty string.", nameof(name));
        Event = new ChaincodeEvent { EventName = name, Payload = ByteString.CopyFrom(payload ?? []) };
    }

    public async Task<ChaincodeResponse> InvokeChaincodeAsync(string chaincodeName, IReadOnlyList<byte[]> args, string channel = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(chaincodeName);
        ArgumentNullException.ThrowIfNull(args);
        var input = new ChaincodeInput();
        input.Args.AddRange(args.Select(ByteString.CopyFrom));
        var spec = new ChaincodeSpec
        {
            // Fabric addresses a chaincode on another channel as "name/channel".
            ChaincodeId = new ChaincodeID { Name = string.IsNullOrEmpty(channel) ? chaincodeName : $"{chaincodeName}/{channel}" },
            Input = input,
        };
        // The RESPONSE carries the called chaincode's own ChaincodeMessage: COMPLETED with its Response, or ERROR.
        var answer = ChaincodeMessage.Parser.ParseFrom(await RequestAsync(MessageType.InvokeChaincode, spec, cancellationToken).ConfigureAwait(false));
        if (answer.Type != MessageType.Completed)
            throw new PeerErrorException(answer.Payload.ToStringUtf8());
        var response = Response.Parser.ParseFrom(answer.Payload);
        return new ChaincodeResponse(response.Status, response.Message, response.Payload.ToByteArray());
    }

    private async Task<byte[]> GetValidationParameterAsync(string collection, string key, CancellationToken cancellationToken)
    {
        var answer = await RequestAsync(MessageType.GetStateMetadata, new GetStateMetadata { Key = key ?? "", Collection = collection }, cancellationToken).ConfigureAwait(false);
        var entry = StateMetadataResult.Parser.ParseFrom(answer).Entries.FirstOrDefault(e => e.Metakey == ValidationParameterKey);
        return entry?.Value.ToByteArray() ?? [];
    }

    private Task SetValidationParameterAsync(string collection, string key, byte[] endorsementPolicy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(endorsementPolicy);
        return RequestAsync(MessageType.PutStateMetadata, new PutStateMetadata
        {
            Key = key,
            Collection = collection,
            Metadata = new StateMetadata { Metakey = ValidationParameterKey, Value = ByteString.CopyFrom(endorsementPolicy) },
        }, cancellationToken);
    }

    private Task<ByteString> RequestAsync(MessageType type, IMessage payload, CancellationToken cancellationToken) =>
        _peer.RequestAsync(type, payload, cancellationToken);
}
