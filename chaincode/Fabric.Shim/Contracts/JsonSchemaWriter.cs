using System.Reflection;
using System.Text.Json.Nodes;

namespace Fabric.Shim.Contracts;

/// <summary>
/// JSON-schema-ish descriptions of parameter and result types for contract metadata: primitives inline,
/// arrays with <c>items</c>, string-keyed dictionaries with <c>additionalProperties</c>, and classes as
/// <c>$ref</c> to <c>#/components/schemas/Name</c> with their camelCase properties.
/// </summary>
internal sealed class JsonSchemaWriter
{
    public JsonObject Components { get; } = new();

    public JsonObject For(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(char)) return Typed("string");
        if (type == typeof(bool)) return Typed("boolean");
        if (type == typeof(byte[])) return Typed("string", "byte");
        if (type == typeof(long) || type == typeof(ulong)) return Typed("integer", "int64");
        if (ArgumentConverter.IsInteger(type)) return Typed("integer", "int32");
        if (type == typeof(double)) return Typed("number", "double");
        if (type == typeof(float)) return Typed("number", "float");
        if (type == typeof(decimal)) return Typed("number");
        if (type == typeof(Guid)) return Typed("string", "uuid");
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return Typed("string", "date-time");
        if (type.IsEnum) return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)n).ToArray()) };
        if (type == typeof(object) || type == typeof(System.Text.Json.JsonElement)) return new JsonObject();
        if (DictionaryValueType(type) is { } valueType) return new JsonObject { ["type"] = "object", ["additionalProperties"] = For(valueType) };
        if (ElementType(type) is { } elementType) return new JsonObject { ["type"] = "array", ["items"] = For(elementType) };
        return Reference(type);
    }

    private JsonObject Reference(Type type)
    {
        var name = type.Name;
        if (!Components.ContainsKey(name))
        {
            Components[name] = null; // placeholder first: a type that refers to itself must not recurse forever
            var properties = new JsonObject();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
                properties[ContractJson.Options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name] = For(property.PropertyType);
            Components[name] = new JsonObject { ["$id"] = name, ["type"] = "object", ["properties"] = properties };
        }
        return new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
    }

    private static JsonObject Typed(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is not null) schema["format"] = format;
        return schema;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary is not null && dictionary.GetGenericArguments()[0] == typeof(string) ? dictionary.GetGenericArguments()[1] : null;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)) return type.GetGenericArguments()[0];
        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }
}
