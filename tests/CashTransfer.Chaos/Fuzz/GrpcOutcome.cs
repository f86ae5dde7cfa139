using Grpc.Core;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>Counts what a fuzzed call got; Internal and Unknown (gRPC's form of an unhandled server error) are findings, with an example.</summary>
internal static class GrpcOutcome
{
    public static void Record(FuzzTally tally, string target, string kind, byte[] bytes, CallEnd end, long messages = 1)
    {
        if (end.Error is { } error) Record(tally, target, kind, bytes, error, messages);
        else tally.Count(target, end.Outcome, messages);
    }

    public static void Record(FuzzTally tally, string target, string kind, byte[] bytes, RpcException e, long messages = 1)
    {
        var outcome = e.StatusCode.ToString();
        // An unparseable message is answered Internal by gRPC itself (grpc-go: "error unmarshalling request", as a Fabric peer does).
        if (e.StatusCode == StatusCode.Internal && IsUnparseable(e.Status.Detail)) outcome = "Internal (unparseable message)";
        if (messages > 0) tally.Count(target, outcome, messages);
        else tally.Note(target, outcome);
        if (outcome is "Internal" or "Unknown")
            tally.Example($"{target}: {e.StatusCode}", $"mutation {kind}, {bytes.Length} bytes, first bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(32, bytes.Length)))}: {e.Status.Detail}");
    }

    private static bool IsUnparseable(string detail) =>
        detail.Contains("unmarshal", StringComparison.OrdinalIgnoreCase) || detail.Contains("parse", StringComparison.OrdinalIgnoreCase) || detail.Contains("deserializ", StringComparison.OrdinalIgnoreCase);
}
