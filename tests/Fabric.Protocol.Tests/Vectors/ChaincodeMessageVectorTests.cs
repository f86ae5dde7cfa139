using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>Every captured peer/chaincode message parses as protos.ChaincodeMessage and re-encodes to its exact bytes.</summary>
public class ChaincodeMessageVectorTests
{
    public static TheoryData<string> Files => VectorRows.Of(() => VectorIndex.ChaincodeMessages.Select(m => m.Path));

    [Theory]
    [MemberData(nameof(Files))]
    public void Parses_as_ChaincodeMessage_and_reencodes_identically(string path)
    {
        var entry = VectorIndex.ChaincodeMessages.Single(m => m.Path == VectorRows.Require(path));
        var bytes = VectorsFolder.ReadBytes(path);

        var message = ChaincodeMessage.Parser.ParseFrom(bytes);

        Assert.Equal(entry.TypeName, ChaincodeMessage.Descriptor.FindFieldByName("type").EnumType.FindValueByNumber((int)message.Type).Name);
        Assert.Equal(entry.TxId, message.Txid);
        Assert.Equal(entry.ChannelId, message.ChannelId);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(message.ToByteArray()));
        Assert.Empty(UnknownFields.Find(message));
    }

    [Fact]
    public void Index_lists_every_chaincode_message_file()
    {
        var listed = VectorIndex.ChaincodeMessages.Select(m => m.Path).ToHashSet();
        var onDisk = Directory.GetFiles(VectorsFolder.PathOf("chaincode"), "*.bin", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(VectorsFolder.Root, f).Replace('\\', '/')).ToHashSet();
        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk.Order(), listed.Order());
    }
}
