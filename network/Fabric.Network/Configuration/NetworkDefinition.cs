namespace Fabric.Network.Configuration;

/// <summary>
/// What the embedded network consists of: agencies (peer organisations), the ordering organisation, one
/// channel, the chaincodes and how blocks are cut. Loaded from a YAML or JSON network file.
/// </summary>
public sealed class NetworkDefinition
{
    public string Channel { get; set; } = "cashtransfer";
    public List<OrganizationDefinition> Organizations { get; set; } = [];
    public OrdererDefinition Orderer { get; set; } = new();
    public List<ChaincodeDefinition> Chaincodes { get; set; } = [];
    public BatchSettings Batch { get; set; } = new();

    /// <summary>TLS on the peers' listeners; false serves plain-text HTTP/2 (h2c) for development.</summary>
    public bool Tls { get; set; } = true;

    /// <summary>
    /// Mutual TLS on the peers' listeners (Fabric's <c>peer.tls.clientAuthRequired</c>): clients must present a TLS
    /// certificate issued by one of the agencies' TLS CAs, and Deliver requests must carry its hash. Needs <see cref="Tls"/>.
    /// </summary>
    public bool MutualTls { get; set; }

    /// <summary>
    /// The default: three agencies, an ordering organisation, channel "cashtransfer", no chaincode yet. Each
    /// agency has an Operator, an Auditor and a Gateway user whose certificates carry the CashTransfer role
    /// attribute, as the agency's Fabric CA would issue them.
    /// </summary>
    public static NetworkDefinition Default() => new()
    {
        Organizations =
        [
            new() { Name = "WFP", MspId = "WFPMSP", Domain = "wfp.example.com", Users = RoleUsers() },
            new() { Name = "UNWomen", MspId = "UNWomenMSP", Domain = "unwomen.example.com", Users = RoleUsers() },
            new() { Name = "UNHCR", MspId = "UNHCRMSP", Domain = "unhcr.example.com", Users = RoleUsers() },
        ],
    };

    private static List<UserDefinition> RoleUsers() =>
    [
        new() { Name = "Operator", Attributes = new() { ["cashtransfer.role"] = "operator" } },
        new() { Name = "Auditor", Attributes = new() { ["cashtransfer.role"] = "auditor" } },
        new() { Name = "Gateway", Attributes = new() { ["cashtransfer.role"] = "gateway" } },
    ];

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first thing that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Channel) || Channel != Channel.ToLowerInvariant())
            throw new InvalidDataException($"channel '{Channel}' must be a non-empty lower-case name.");
        if (Organizations.Count == 0) throw new InvalidDataException("the network needs at least one organisation.");
        var seen = new HashSet<string>();
        foreach (var org in Organizations.Append<NodeOrganization>(Orderer))
        {
            if (string.IsNullOrWhiteSpace(org.Name) || string.IsNullOrWhiteSpace(org.MspId) || string.IsNullOrWhiteSpace(org.Domain))
                throw new InvalidDataException("every organisation needs a name, an mspId and a domain.");
            if (!seen.Add(org.MspId)) throw new InvalidDataException($"MSP id '{org.MspId}' appears twice.");
        }
        foreach (var cc in Chaincodes)
        {
            if (cc.ConnectionFile is not null) cc.Address = CcaasConnection.Load(cc.ConnectionFile).Address;
            if (string.IsNullOrWhiteSpace(cc.Name) || string.IsNullOrWhiteSpace(cc.Address))
                throw new InvalidDataException("every chaincode needs a name and an address (host:port of its CCaaS server).");
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var collection in cc.Collections)
            {
                if (string.IsNullOrWhiteSpace(collection.Name) || string.IsNullOrWhiteSpace(collection.Policy))
                    throw new InvalidDataException($"every collection of chaincode '{cc.Name}' needs a name and a member policy.");
                if (!names.Add(collection.Name))
                    throw new InvalidDataException($"collection '{collection.Name}' appears twice in chaincode '{cc.Name}'.");
                if (collection.RequiredPeerCount < 0 || collection.MaxPeerCount < collection.RequiredPeerCount)
                    throw new InvalidDataException($"collection '{collection.Name}': requiredPeerCount must be between 0 and maxPeerCount.");
            }
        }
        if (MutualTls && !Tls) throw new InvalidDataException("mutualTls needs tls: a plain-text listener cannot ask for client certificates.");
        if (Batch.MaxMessageCount < 1 || Batch.PreferredMaxBytes < 1 || Batch.BatchTimeoutMs < 1)
            throw new InvalidDataException("batch settings must be positive.");
    }
}

/// <summary>An organisation that runs nodes: a name, its MSP id and the DNS domain its certificates use.</summary>
public abstract class NodeOrganization
{
    public string Name { get; set; } = "";
    public string MspId { get; set; } = "";
    public string Domain { get; set; } = "";
}

/// <summary>An agency: a peer organisation with one peer (peer0).</summary>
public sealed class OrganizationDefinition : NodeOrganization
{
    /// <summary>The peer's listening port; 0 picks a free one.</summary>
    public int PeerPort { get; set; }

    /// <summary>Client users besides Admin and User1, each written as users/{Name}@{Domain} (OU client).</summary>
    public List<UserDefinition> Users { get; set; } = [];
}

/// <summary>A client user of an agency, with Fabric CA enrollment attributes in its certificate.</summary>
public sealed class UserDefinition
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Attributes { get; set; } = [];
}

/// <summary>The ordering organisation; its orderer signs the blocks.</summary>
public sealed class OrdererDefinition : NodeOrganization
{
    public OrdererDefinition()
    {
        Name = "Orderer";
        MspId = "OrdererMSP";
        Domain = "example.com";
    }
}

/// <summary>A chaincode served as a service (CCaaS): the peers dial its address.</summary>
public sealed class ChaincodeDefinition
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "1.0";

    /// <summary>host:port of the chaincode server, as in the package's connection.json.</summary>
    public string Address { get; set; } = "";

    /// <summary>The package ID the peer sends in REGISTERED flow checks; defaults to name_version.</summary>
    public string? PackageId { get; set; }

    /// <summary>
    /// Fabric policy syntax: a signature policy such as <c>AND('WFPMSP.peer','UNHCRMSP.peer')</c> or
    /// <c>OutOf(2,'A.peer','B.peer','C.peer')</c>, or an implicit meta policy <c>MAJORITY Endorsement</c> /
    /// <c>ANY Endorsement</c> over the channel's agencies (the default, as in Fabric).
    /// </summary>
    public string EndorsementPolicy { get; set; } = "MAJORITY Endorsement";

    /// <summary>
    /// A CCaaS package's connection.json (Fabric's format: address, tls_required, client_auth_required, root_cert,
    /// client_cert, client_key); when set it decides the address and TLS settings below.
    /// </summary>
    public string? ConnectionFile { get; set; }

    /// <summary>TLS to the chaincode server: its root CA file; null dials plain text.</summary>
    public string? TlsRootCertFile { get; set; }

    /// <summary>Mutual TLS: the peer presents its TLS client certificate when true.</summary>
    public bool MutualTls { get; set; }

    /// <summary>Host name checked in the chaincode server's certificate when it differs from the address.</summary>
    public string? ServerNameOverride { get; set; }

    /// <summary>The chaincode's private data collections.</summary>
    public List<CollectionDefinition> Collections { get; set; } = [];

    public string PackageIdOrDefault() => PackageId ?? $"{Name}_{Version}";
}

/// <summary>How the ordering stage cuts blocks (Fabric's Orderer.BatchSize and BatchTimeout).</summary>
public sealed class BatchSettings
{
    public int MaxMessageCount { get; set; } = 100;
    public int PreferredMaxBytes { get; set; } = 2 * 1024 * 1024;
    public int AbsoluteMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// A block is cut this long after its first transaction arrived unless it filled first. Clients that wait for each
    /// commit (POS terminals, a bulk upload, the gateway's submitter) never fill a 100-transaction block, so each of their
    /// transactions waited the whole timeout: at 100 ms that was most of a submit's latency (Fabric.Network.Benchmarks'
    /// README). 5 ms: 50 clients commit about a fifth more than at 10 ms, as many as at 3 ms and more than at 2 ms (7
    /// December 2026). A committer slower than the blocks come makes the orderer wait, and the envelopes that arrive
    /// meanwhile fill larger blocks, so a slow disk costs latency, not a backlog of small blocks.
    /// </summary>
    public int BatchTimeoutMs { get; set; } = 5;
}
