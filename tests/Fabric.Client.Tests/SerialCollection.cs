namespace Fabric.Client.Tests;

/// <summary>
/// Tests that start gRPC servers run one after another, outside the parallel set: with several Fabric.Grpc servers
/// and channels busy at once on a loaded 2-core machine, connections were seen to end early (GOAWAY NO_ERROR on
/// TLS, "response ended prematurely" on h2c); reported to the transport owner.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "grpc-servers";
}
