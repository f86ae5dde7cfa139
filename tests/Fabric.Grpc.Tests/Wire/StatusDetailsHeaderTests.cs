using Fabric.Grpc.Wire;
using Google.Protobuf;

namespace Fabric.Grpc.Tests.Wire;

public sealed class StatusDetailsHeaderTests
{
    private static readonly Google.Rpc.Status Sample = new() { Code = 10, Message = "x" };

    [Fact]
    public void Encodes_without_padding_and_decodes_back()
    {
        var value = StatusDetailsHeader.Encode(Sample);
        Assert.DoesNotContain("=", value);
        Assert.Equal(Sample, StatusDetailsHeader.Decode(value));
    }

    [Fact]
    public void Accepts_padded_base64()
    {
        var padded = Convert.ToBase64String(Sample.ToByteArray());
        Assert.EndsWith("=", padded);
        Assert.Equal(Sample, StatusDetailsHeader.Decode(padded));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("////")]
    public void Returns_null_for_garbage(string value) => Assert.Null(StatusDetailsHeader.Decode(value));
}
