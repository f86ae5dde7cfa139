using Fabric.Grpc.Wire;

namespace Fabric.Grpc.Tests.Wire;

public sealed class GrpcMessageEncodingTests
{
    [Theory]
    [InlineData("plain message", "plain message")]
    [InlineData("100%", "100%25")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("é", "%C3%A9")]
    [InlineData("☃", "%E2%98%83")]
    [InlineData("~ and space", "~ and space")]
    public void Encodes_per_the_grpc_spec(string message, string expected) => Assert.Equal(expected, GrpcMessageEncoding.Encode(message));

    [Theory]
    [InlineData("%C3%A9t%C3%A9", "été")]
    [InlineData("%e2%98%83", "☃")]
    [InlineData("100%", "100%")]
    [InlineData("%zz ok", "%zz ok")]
    [InlineData("%4", "%4")]
    public void Decodes_and_leaves_malformed_escapes_alone(string value, string expected) => Assert.Equal(expected, GrpcMessageEncoding.Decode(value));

    [Fact]
    public void Round_trips_any_text()
    {
        var text = "Fehler: 50% der Einträge — ✓ \u0001 \"quoted\" %20";
        Assert.Equal(text, GrpcMessageEncoding.Decode(GrpcMessageEncoding.Encode(text)));
    }
}
