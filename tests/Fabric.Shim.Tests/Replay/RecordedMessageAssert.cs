using Protos;

namespace Fabric.Shim.Tests.Replay;

/// <summary>Compares a chaincode message with a recorded one: field by field first (readable failures), then byte for byte.</summary>
public static class RecordedMessageAssert
{
    public static void Same(RecordedMessage expected, byte[] actualBytes, string transcript)
    {
        var want = ChaincodeMessage.Parser.ParseFrom(expected.Bytes);
        var got = ChaincodeMessage.Parser.ParseFrom(actualBytes);
        var where = $"{transcript} message {expected.Number:D3} ({expected.TypeName})";

        Assert.True(want.Type == got.Type, $"{where}: type {got.Type}, recorded {want.Type}. Payload: {got.Payload.ToStringUtf8()}");
        Assert.True(want.Txid == got.Txid, $"{where}: txid {got.Txid}, recorded {want.Txid}");
        Assert.True(want.ChannelId == got.ChannelId, $"{where}: channel {got.ChannelId}, recorded {want.ChannelId}");
        if (want.Type == ChaincodeMessage.Types.Type.Completed)
        {
            var wantResponse = Response.Parser.ParseFrom(want.Payload);
            var gotResponse = Response.Parser.ParseFrom(got.Payload);
            Assert.True(wantResponse.Status == gotResponse.Status, $"{where}: status {gotResponse.Status} ({gotResponse.Message}), recorded {wantResponse.Status}");
            Assert.Equal(wantResponse.Message, gotResponse.Message);
            Assert.Equal(wantResponse.Payload.ToStringUtf8(), gotResponse.Payload.ToStringUtf8());
            Assert.Equal(want.ChaincodeEvent?.ToString(), got.ChaincodeEvent?.ToString());
        }
        Assert.Equal(want.Payload.ToBase64(), got.Payload.ToBase64());
        Assert.Equal(Convert.ToHexString(expected.Bytes), Convert.ToHexString(actualBytes));
    }
}
