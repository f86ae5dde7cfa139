using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Fabric.Protocol.Tests.Interop;

/// <summary>
/// Lists the fields of a message tree left at their default: a sample meant to exercise every field must
/// set each one (one case per oneof) and give every repeated field at least two entries.
/// </summary>
public static class FullyPopulated
{
    public static IReadOnlyList<string> UnsetFields(IMessage message)
    {
        var unset = new List<string>();
        Walk(message, message.Descriptor.FullName, unset);
        return unset;
    }

    private static void Walk(IMessage message, string path, List<string> unset)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var name = $"{path}.{field.Name}";
            if (field.RealContainingOneof is { } oneof)
            {
                if (oneof.Accessor.GetCaseFieldDescriptor(message) is null) unset.Add($"{path}.{oneof.Name} (oneof)");
                else if (oneof.Accessor.GetCaseFieldDescriptor(message) == field) Check(field, field.Accessor.GetValue(message), name, unset);
                continue;
            }
            Check(field, field.Accessor.GetValue(message), name, unset);
        }
    }

    private static void Check(FieldDescriptor field, object? value, string name, List<string> unset)
    {
        if (field.IsRepeated)
        {
            var items = ((IList)value!).Cast<object>().ToArray();
            if (items.Length < 2) unset.Add($"{name} (fewer than 2 entries)");
            foreach (var item in items.OfType<IMessage>()) Walk(item, name + "[]", unset);
            return;
        }
        switch (value)
        {
            case null:
                unset.Add(name);
                break;
            case IMessage child:
                Walk(child, name, unset);
                break;
            case string text when text.Length == 0:
            case ByteString bytes when bytes.IsEmpty:
                unset.Add(name);
                break;
            case Enum or int or long or uint or ulong when Convert.ToInt64(value) == 0:
                unset.Add(name);
                break;
        }
    }
}
