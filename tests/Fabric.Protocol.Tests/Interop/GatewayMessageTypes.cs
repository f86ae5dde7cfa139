using Google.Protobuf.Reflection;

namespace Fabric.Protocol.Tests.Interop;

/// <summary>Every message our gateway.proto and google/rpc/status.proto define, by proto full name.</summary>
public static class GatewayMessageTypes
{
    public static IReadOnlyDictionary<string, MessageDescriptor> All { get; } =
        Gateway.GatewayReflection.Descriptor.MessageTypes
            .Concat(Google.Rpc.StatusReflection.Descriptor.MessageTypes)
            .ToDictionary(d => d.FullName);

    public static TheoryData<string> Names()
    {
        var rows = new TheoryData<string>();
        foreach (var name in All.Keys.Order(StringComparer.Ordinal)) rows.Add(name);
        return rows;
    }
}
