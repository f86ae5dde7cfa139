using System.Text.Json.Nodes;
using CashTransfer.Testing.NodeCounterparts;
using Google.Protobuf;

namespace Fabric.Protocol.Tests.Interop;

/// <summary>
/// Our hand-written gateway.proto and google/rpc/status.proto against the official
/// @hyperledger/fabric-protos 0.3.7 in Node: each message encoded on one side decodes on the other with
/// the same field values and re-encodes to the same bytes.
/// </summary>
public class GatewayNodeInteropTests
{
    private const string Script = "protos/gateway-messages.js";

    private static readonly Lazy<Task<JsonObject>> EncodedByNode = new(() => RunScriptAsync("encode"));

    private static readonly Lazy<Task<JsonObject>> DecodedByNode = new(() =>
    {
        var input = new JsonObject();
        foreach (var (name, message) in GatewaySamples.All) input[name] = message.ToByteString().ToBase64();
        return RunScriptAsync("decode", input.ToJsonString());
    });

    private static async Task<JsonObject> RunScriptAsync(string mode, string? input = null)
    {
        InteropNodeFolder.WithPackages(OfficialNodePackages.FabricProtos);
        return JsonNode.Parse(await NodeScript.RunAsync(Script, [mode], environment: null, TimeSpan.FromSeconds(60), input))!.AsObject();
    }

    public static TheoryData<string> MessageNames => GatewayMessageTypes.Names();

    [Fact]
    public async Task Both_sides_cover_every_message_of_our_protos()
    {
        var ours = GatewayMessageTypes.All.Keys.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(16, ours.Length);
        Assert.Equal(ours, (await EncodedByNode.Value).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(ours, GatewaySamples.All.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public async Task Node_encoded_message_decodes_in_csharp_with_the_same_fields_and_bytes(string name)
    {
        var fromNode = (await EncodedByNode.Value)[name] ?? throw new Xunit.Sdk.XunitException($"The Node script built no {name}.");
        var bytes = Convert.FromBase64String(fromNode["bytes"]!.GetValue<string>());

        var parsed = GatewayMessageTypes.All[name].Parser.ParseFrom(bytes);

        Assert.Empty(FullyPopulated.UnsetFields(parsed));
        Assert.Empty(Vectors.UnknownFields.Find(parsed));
        Assert.Equal(fromNode["fields"]!.ToJsonString(), ToObjectView.Of(parsed).ToJsonString());
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(parsed.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public async Task Csharp_encoded_message_decodes_in_node_with_the_same_fields_and_bytes(string name)
    {
        var sample = GatewaySamples.All[name];
        var fromNode = (await DecodedByNode.Value)[name]!;

        Assert.Empty(FullyPopulated.UnsetFields(sample));
        Assert.Equal(ToObjectView.Of(sample).ToJsonString(), fromNode["fields"]!.ToJsonString());
        Assert.Equal(Convert.ToHexString(sample.ToByteArray()), Convert.ToHexString(Convert.FromBase64String(fromNode["bytes"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Nested_requests_and_error_details_unpack_to_what_node_put_in()
    {
        var signed = Gateway.SignedChaincodeEventsRequest.Parser.ParseFrom(await BytesAsync("gateway.SignedChaincodeEventsRequest"));
        var status = Google.Rpc.Status.Parser.ParseFrom(await BytesAsync("google.rpc.Status"));

        var request = Gateway.ChaincodeEventsRequest.Parser.ParseFrom(signed.Request);
        Assert.Equal(987654321UL, request.StartPosition.Specified.Number);
        Assert.Equal(["Org1MSP", "Org2MSP"], status.Details.Select(any => any.Unpack<Gateway.ErrorDetail>().MspId));
    }

    private static async Task<byte[]> BytesAsync(string name) => Convert.FromBase64String((await EncodedByNode.Value)[name]!["bytes"]!.GetValue<string>());
}
