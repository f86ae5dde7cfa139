using Fabric.Network.Configuration;
using Microsoft.Extensions.Logging;

namespace Fabric.Network.Hosting;

/// <summary>How to start an <see cref="EmbeddedNetwork"/>: its data directory and its definition.</summary>
public sealed class EmbeddedNetworkOptions
{
    /// <summary>Holds crypto/ (cryptogen layout), ledger/ and connection.json; created when missing.</summary>
    public required string DataDirectory { get; init; }

    public NetworkDefinition Definition { get; init; } = NetworkDefinition.Default();

    public ILoggerFactory? LoggerFactory { get; init; }
}

