using System.Text.Json;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Fabric.Network.Configuration;

/// <summary>Reads a network file: JSON when it ends in .json, YAML otherwise (camelCase keys in both).</summary>
public static class NetworkDefinitionLoader
{
    public static NetworkDefinition Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"network file '{path}' does not exist.", path);
        var text = File.ReadAllText(path);
        try
        {
            var definition = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ParseJson(text) : ParseYaml(text);
            definition.Validate();
            return definition;
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new InvalidDataException($"network file '{path}' is not valid: {e.Message}", e);
        }
    }

    public static NetworkDefinition ParseYaml(string yaml) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<NetworkDefinition>(yaml) ?? throw new InvalidDataException("the network file is empty.");

    public static NetworkDefinition ParseJson(string json) =>
        JsonSerializer.Deserialize<NetworkDefinition>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException("the network file is empty.");

    public static string ToYaml(NetworkDefinition definition) =>
        new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Serialize(definition);
}
