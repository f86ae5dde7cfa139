using Fabric.Client.Internal;
using Protos;

namespace Fabric.Client;

/// <summary>A Fabric channel as seen through the gateway: its contracts, chaincode events and blocks.</summary>
/// <example><code>
/// var network = gateway.GetNetwork("mychannel");
/// var contract = network.GetContract("cashtransfer");
/// await foreach (var block in network.GetFilteredBlocksAsync(new EventsOptions { StartBlock = 0 }, ct)) { ... }
/// </code></example>
public sealed class Network
{
    private readonly GatewayClient _client;
    private readonly SigningIdentity _signingIdentity;

    internal Network(GatewayClient client, SigningIdentity signingIdentity, string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A channel name is required.", nameof(name));
        _client = client;
        _signingIdentity = signingIdentity;
        Name = name;
    }

    /// <summary>The channel name.</summary>
    public string Name { get; }

    /// <summary>The chaincode's default contract, or the named contract within it.</summary>
    public Contract GetContract(string chaincodeName, string? contractName = null)
    {
        if (string.IsNullOrWhiteSpace(chaincodeName)) throw new ArgumentException("A chaincode name is required.", nameof(chaincodeName));
        return new Contract(_client, _signingIdentity, Name, chaincodeName, contractName);
    }

    /// <summary>Chaincode events as they are committed; see <see cref="EventsOptions"/> for where the stream starts.</summary>
    public IAsyncEnumerable<ChaincodeEvent> GetChaincodeEventsAsync(string chaincodeName, EventsOptions? options = null, CancellationToken cancellationToken = default) =>
        NewChaincodeEventsRequest(chaincodeName, options).GetEventsAsync(cancellationToken);

    /// <summary>An unsigned chaincode events request (for offline signing).</summary>
    public ChaincodeEventsRequest NewChaincodeEventsRequest(string chaincodeName, EventsOptions? options = null)
    {
        options ??= new EventsOptions();
        return new ChaincodeEventsRequest(_client, _signingIdentity,
            ChaincodeEventsRequest.Build(_signingIdentity, Name, chaincodeName, options), options.Timeout ?? _client.Options.EventsTimeout);
    }

    /// <summary>Full blocks (with read-write sets) from the peer's Deliver service.</summary>
    public IAsyncEnumerable<Common.Block> GetBlocksAsync(EventsOptions? options = null, CancellationToken cancellationToken = default) =>
        NewBlockEventsRequest(options).GetBlocksAsync(cancellationToken);

    /// <summary>Filtered blocks (transaction ids, validation codes, event names) from the peer's Deliver service.</summary>
    public IAsyncEnumerable<FilteredBlock> GetFilteredBlocksAsync(EventsOptions? options = null, CancellationToken cancellationToken = default) =>
        NewFilteredBlockEventsRequest(options).GetBlocksAsync(cancellationToken);

    /// <summary>
    /// Full blocks with the private data write sets the caller's organisation may read, from the peer's
    /// <c>DeliverWithPrivateData</c> service.
    /// </summary>
    public IAsyncEnumerable<BlockAndPrivateData> GetBlocksAndPrivateDataAsync(EventsOptions? options = null, CancellationToken cancellationToken = default) =>
        NewBlockAndPrivateDataEventsRequest(options).GetBlocksAsync(cancellationToken);

    /// <summary>An unsigned block events request (for offline signing).</summary>
    public BlockEventsRequest<Common.Block> NewBlockEventsRequest(EventsOptions? options = null) => NewBlockRequest<Common.Block>(options);

    /// <summary>An unsigned filtered block events request (for offline signing).</summary>
    public BlockEventsRequest<FilteredBlock> NewFilteredBlockEventsRequest(EventsOptions? options = null) => NewBlockRequest<FilteredBlock>(options);

    /// <summary>An unsigned block-and-private-data events request (for offline signing).</summary>
    public BlockEventsRequest<BlockAndPrivateData> NewBlockAndPrivateDataEventsRequest(EventsOptions? options = null) => NewBlockRequest<BlockAndPrivateData>(options);

    private BlockEventsRequest<TBlock> NewBlockRequest<TBlock>(EventsOptions? options) where TBlock : class
    {
        options ??= new EventsOptions();
        var envelope = BlockEventsRequest<TBlock>.Build(_signingIdentity, Name, options, _client.Options.TlsClientCertificateHash);
        return new BlockEventsRequest<TBlock>(_client, _signingIdentity, envelope, options.Timeout ?? _client.Options.EventsTimeout);
    }
}
