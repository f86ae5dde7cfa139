using Fabric.Protocol.Wire;
using Google.Protobuf;
using Protos;

namespace Fabric.Protocol.Tests.Wire;

/// <summary>The in-place field walk reads what protobuf wrote and refuses what is cut short or malformed.</summary>
public class WireFieldsTests
{
    [Fact]
    public void Fields_written_by_protobuf_are_read_with_their_numbers_types_and_values()
    {
        var written = new ChaincodeEvent { ChaincodeId = "cc", TxId = "tx", EventName = "e", Payload = ByteString.CopyFrom(1, 2, 3) }.ToByteArray();
        var header = new Common.ChannelHeader { Type = 3, Epoch = ulong.MaxValue }.ToByteArray();

        var seen = new List<(int, WireType, string)>();
        var fields = new WireFields(written);
        while (fields.MoveNext()) seen.Add((fields.Number, fields.Type, Convert.ToHexString(fields.Bytes)));
        var varints = new List<(int, ulong)>();
        var headerFields = new WireFields(header);
        while (headerFields.MoveNext()) varints.Add((headerFields.Number, headerFields.Varint));

        Assert.Equal([(1, WireType.LengthDelimited, "6363"), (2, WireType.LengthDelimited, "7478"), (3, WireType.LengthDelimited, "65"), (4, WireType.LengthDelimited, "010203")], seen);
        Assert.Equal([(1, 3UL), (6, ulong.MaxValue)], varints);
    }

    [Fact]
    public void The_last_of_a_repeated_field_wins_and_is_counted()
    {
        byte[] message = [0x0A, 0x01, 0x41, 0x10, 0x05, 0x0A, 0x02, 0x42, 0x43];

        var count = WireFields.Last(message, 1, out var value);

        Assert.Equal(2, count);
        Assert.Equal("BC", System.Text.Encoding.ASCII.GetString(value));
        Assert.Equal(0, WireFields.Last(message, 9, out _));
    }

    [Theory]
    [InlineData("0A05414243")]              // a length past the end
    [InlineData("08FFFFFFFFFFFFFFFFFFFF01")] // a varint of 11 bytes
    [InlineData("08FF")]                    // a varint cut short
    [InlineData("0B0C")]                    // a group
    [InlineData("00")]                      // field number 0
    [InlineData("F8FFFFFF1F00")]            // field number 2^30 - 1, past protobuf's 2^29 - 1
    [InlineData("0D0102")]                  // a fixed32 cut short
    public void Malformed_bytes_are_a_format_exception(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<FormatException>(() => WireFields.Last(bytes, 1, out _));
    }
}
