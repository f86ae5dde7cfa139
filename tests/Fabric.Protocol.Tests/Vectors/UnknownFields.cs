using System.Collections;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>
/// Lists the fields a parsed message kept as unknown (fields our .proto files lack), through the whole
/// message tree. Re-encoding alone cannot show them: unknown fields are re-emitted unchanged.
/// </summary>
public static class UnknownFields
{
    public static IReadOnlyList<string> Find(IMessage message)
    {
        var found = new List<string>();
        Walk(message, message.Descriptor.Name, found);
        return found;
    }

    private static void Walk(IMessage message, string path, List<string> found)
    {
        var unknown = message.GetType().GetField("_unknownFields", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(message);
        if (unknown is UnknownFieldSet set && set.CalculateSize() > 0) found.Add(path);
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message) continue;
            var value = field.Accessor.GetValue(message);
            if (value is IMessage child) Walk(child, $"{path}.{field.Name}", found);
            else if (value is IEnumerable items and not IDictionary)
                foreach (var item in items.OfType<IMessage>()) Walk(item, $"{path}.{field.Name}[]", found);
        }
    }
}
