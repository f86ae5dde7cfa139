using Grpc.Core;
using Fabric.Grpc.Client;
using System.Text.Json;
using Fabric.Grpc.Tests.Support;

namespace Fabric.Grpc.Tests.Interop;

/// <summary>The @grpc/grpc-js client against our server, over h2c, TLS and mutual TLS.</summary>
public sealed class GrpcJsClientToCSharpServerTests(GrpcJsClientFixture node) : IClassFixture<GrpcJsClientFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Unary(TransportMode mode)
    {
        var result = node.Result(mode.ToString(), "unary");

        Assert.Equal("tx1", result.GetProperty("txid").GetString());
        Assert.Equal(7, result.GetProperty("payloadLength").GetInt32());
        Assert.Equal("from-node", result.GetProperty("xtest").GetString());
        Assert.Equal(mode == TransportMode.MutualTls ? "CN=client.test" : "", result.GetProperty("cert").GetString());
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Server_streaming(TransportMode mode) =>
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"s-{i}"), Strings(node.Result(mode.ToString(), "server-stream"), "txids"));

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Duplex(TransportMode mode)
    {
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), Strings(node.Result(mode.ToString(), "bidi"), "txids"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"p{i}"), Strings(node.Result(mode.ToString(), "bidi-pingpong"), "txids"));
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Deadline_from_grpc_js_cancels_our_handler(TransportMode mode)
    {
        Assert.Equal((int)StatusCode.DeadlineExceeded, Code(node.Result(mode.ToString(), "deadline")));
        Assert.True(await node.Observer(mode.ToString()).WaitAsync("hang:deadline", Patience));
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public async Task Cancellation_from_grpc_js_cancels_our_handler(TransportMode mode)
    {
        Assert.Equal((int)StatusCode.Cancelled, Code(node.Result(mode.ToString(), "cancel")));
        Assert.Equal((int)StatusCode.Cancelled, Code(node.Result(mode.ToString(), "bidi-cancel")));
        Assert.True(await node.Observer(mode.ToString()).WaitAsync("hang:cancel", Patience));
        Assert.True(await node.Observer(mode.ToString()).WaitAsync("hang:bidi-cancel", Patience));
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Server_side_cancellation_reaches_grpc_js_as_cancelled(TransportMode mode) =>
        Assert.Equal((int)StatusCode.Cancelled, Code(node.Result(mode.ToString(), "server-cancel")));

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Status_message_with_non_ascii_and_percent_signs(TransportMode mode)
    {
        var result = node.Result(mode.ToString(), "status");

        Assert.Equal((int)StatusCode.FailedPrecondition, Code(result));
        Assert.Equal("Ungültig: 100% — ☃ %41", result.GetProperty("details").GetString());
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Status_details_are_decoded_by_grpc_js(TransportMode mode)
    {
        var result = node.Result(mode.ToString(), "details");
        var details = result.GetProperty("statusDetails");

        Assert.Equal((int)StatusCode.Aborted, Code(result));
        Assert.Equal(10, details.GetProperty("code").GetInt32());
        Assert.Equal("failed to endorse", details.GetProperty("message").GetString());
        var detail = details.GetProperty("details").EnumerateArray().Single();
        Assert.Equal("gateway.ErrorDetail", detail.GetProperty("type").GetString());
        Assert.Equal("chaincode said no", detail.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Unknown_method_and_handler_exception(TransportMode mode)
    {
        var thrown = node.Result(mode.ToString(), "throw");

        Assert.Equal((int)StatusCode.Unimplemented, Code(node.Result(mode.ToString(), "unimplemented")));
        Assert.Equal((int)StatusCode.Unknown, Code(thrown));
        Assert.DoesNotContain("secret", thrown.GetProperty("details").GetString());
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Size_limits_on_both_sides(TransportMode mode)
    {
        Assert.Equal((int)StatusCode.ResourceExhausted, Code(node.Result(mode.ToString(), "size-request")));
        Assert.Equal((int)StatusCode.ResourceExhausted, Code(node.Result(mode.ToString(), "size-response")));
    }

    [Theory]
    [InlineData(TransportMode.H2c)]
    [InlineData(TransportMode.Tls)]
    [InlineData(TransportMode.MutualTls)]
    public void Hundred_concurrent_calls(TransportMode mode)
    {
        var result = node.Result(mode.ToString(), "concurrent");

        Assert.Equal(100, result.GetProperty("count").GetInt32());
        Assert.True(result.GetProperty("inOrder").GetBoolean());
    }

    [Fact]
    public void Gzip_compressed_requests_from_grpc_js_are_decoded_within_the_limit()
    {
        var fits = node.Result(GrpcJsClientFixture.GzipRun, "gzip-echo");
        var tooBig = node.Result(GrpcJsClientFixture.GzipRun, "gzip-over-limit");

        Assert.Equal(50_000, fits.GetProperty("payloadLength").GetInt32());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), Strings(node.Result(GrpcJsClientFixture.GzipRun, "bidi"), "txids"));
        // 200 kB of one letter compresses far below the 100 kB limit: only a server that inflated it can tell it is too big.
        Assert.Equal((int)StatusCode.ResourceExhausted, Code(tooBig));
    }

    private static int Code(JsonElement result) => result.GetProperty("code").GetInt32();

    private static IEnumerable<string?> Strings(JsonElement result, string property) =>
        result.GetProperty(property).EnumerateArray().Select(e => e.GetString()).ToList();
}
