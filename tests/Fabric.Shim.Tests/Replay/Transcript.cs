using System.Text.Json;
using Fabric.Shim.Tests.Support;

namespace Fabric.Shim.Tests.Replay;

/// <summary>One recorded chaincode transcript of ../shared/vectors/chaincode: its messages in stream order, as raw bytes.</summary>
public sealed record Transcript(string Name, IReadOnlyList<RecordedMessage> Messages)
{
    /// <summary>Every transcript the README lists, in capture order.</summary>
    public static readonly string[] All =
    [
        "00-handshake", "01-put-v1", "02-put-v2", "03-seed", "04-move", "05-range", "06-range-multibatch",
        "07-range-page1", "08-range-page2", "09-partial-composite", "10-history", "11-whoami", "12-transient",
        "13-fail", "14-richquery-error", "15-get", "16-mvcc-a", "17-mvcc-b",
    ];

    public static Transcript Load(string name)
    {
        var folder = Vectors.Chaincode(name);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "index.json")));
        var messages = index.RootElement.GetProperty("messages").EnumerateArray().Select(m => new RecordedMessage(
            m.GetProperty("n").GetInt32(),
            m.GetProperty("direction").GetString() == "peer-to-cc",
            m.GetProperty("type_name").GetString()!,
            File.ReadAllBytes(Path.Combine(folder, m.GetProperty("file").GetString()!)))).ToList();
        return new Transcript(name, messages);
    }
}

/// <summary>One captured <c>protos.ChaincodeMessage</c>.</summary>
public sealed record RecordedMessage(int Number, bool FromPeer, string TypeName, byte[] Bytes);
