using System.Collections;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Fabric.Protocol.Tests.Interop;

/// <summary>
/// A C# message in the shape google-protobuf's <c>toObject()</c> gives in Node: lowerCamel names,
/// repeated fields as <c>nameList</c>, bytes as padded base64, enums and integers as numbers, unset
/// message fields left out, scalars always present. Comparing the two shows field-by-field agreement.
/// </summary>
public static class ToObjectView
{
    public static JsonObject Of(IMessage message)
    {
        var view = new JsonObject();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
                throw new NotSupportedException($"{field.FullName}: map fields are not used by the messages compared here.");
            if (field.IsRepeated)
                view[field.JsonName + "List"] = new JsonArray(((IList)value).Cast<object>().Select(item => Value(field, item)).ToArray());
            else if (field.FieldType == FieldType.Message)
            {
                if (value is not null) view[field.JsonName] = Of((IMessage)value);
            }
            else
                view[field.JsonName] = Value(field, value);
        }
        return view;
    }

    private static JsonNode? Value(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.Message => Of((IMessage)value),
        FieldType.Bytes => JsonValue.Create(((ByteString)value).ToBase64()),
        FieldType.String => JsonValue.Create((string)value),
        FieldType.Bool => JsonValue.Create((bool)value),
        FieldType.Double or FieldType.Float => JsonValue.Create(Convert.ToDouble(value)),
        FieldType.UInt64 or FieldType.Fixed64 => JsonValue.Create(Convert.ToUInt64(value)),
        _ => JsonValue.Create(Convert.ToInt64(value)),
    };
}
