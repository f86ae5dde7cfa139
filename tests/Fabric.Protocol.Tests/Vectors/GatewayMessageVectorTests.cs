using Google.Protobuf;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>
/// Every captured Gateway message (and google.rpc.Status trailer) parses as the type gateway/index.json
/// names and re-encodes to its exact bytes, with nothing left in unknown fields.
/// </summary>
public class GatewayMessageVectorTests
{
    public static TheoryData<string> Files => VectorRows.Of(() => VectorIndex.GatewayFiles.Select(f => f.Path));

    [Theory]
    [MemberData(nameof(Files))]
    public void Parses_as_its_gateway_type_and_reencodes_identically(string path)
    {
        var entry = VectorIndex.GatewayFiles.Single(f => f.Path == VectorRows.Require(path));
        var parser = VectorMessages.ParserFor(entry.Type);
        var bytes = VectorsFolder.ReadBytes(path);

        var message = parser.ParseFrom(bytes);

        Assert.StartsWith(VectorMessages.ProtoName(parser), entry.Type);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(message.ToByteArray()));
        Assert.Empty(UnknownFields.Find(message));
    }

    [Fact]
    public void Index_lists_every_gateway_message_file()
    {
        var listed = VectorIndex.GatewayFiles.Select(f => f.Path).ToHashSet();
        var onDisk = Directory.GetFiles(VectorsFolder.PathOf("gateway"), "*.bin", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(VectorsFolder.Root, f).Replace('\\', '/')).ToHashSet();
        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk.Order(), listed.Order());
    }
}
