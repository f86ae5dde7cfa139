using Grpc.AspNetCore.Server.Model;

namespace Fabric.Grpc.Server;

/// <summary>Tells Grpc.AspNetCore.Server which methods <see cref="HostedService"/> serves: those of the server's definitions.</summary>
internal sealed class DefinitionMethodProvider(IReadOnlyList<GrpcServiceDefinition> definitions) : IServiceMethodProvider<HostedService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<HostedService> context)
    {
        foreach (var definition in definitions)
            foreach (var bind in definition.Methods.Values)
                bind(context);
    }
}
