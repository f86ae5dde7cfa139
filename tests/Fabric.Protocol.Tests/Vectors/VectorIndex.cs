using System.Text.Json.Nodes;

namespace Fabric.Protocol.Tests.Vectors;

/// <summary>The vectors' own index.json and checks.json files, read once: the tests are driven by them.</summary>
public static class VectorIndex
{
    private static readonly Lazy<IReadOnlyList<ChaincodeMessageFile>> ChaincodeList = new(LoadChaincode);
    private static readonly Lazy<IReadOnlyList<GatewayGroup>> GatewayList = new(LoadGateway);
    private static readonly Lazy<IReadOnlyList<BlockEntry>> BlockList = new(LoadBlocks);
    private static readonly Lazy<JsonArray> CheckList = new(() => Json("checks.json")["checks"]!.AsArray());

    public static IReadOnlyList<ChaincodeMessageFile> ChaincodeMessages => ChaincodeList.Value;

    public static IReadOnlyList<GatewayGroup> GatewayGroups => GatewayList.Value;

    public static IReadOnlyList<BlockEntry> Blocks => BlockList.Value;

    public static IEnumerable<GatewayFile> GatewayFiles =>
        GatewayGroups.SelectMany(g => g.Calls.SelectMany(c => c.Files.Where(f => f.File.EndsWith(".bin"))));

    /// <summary>The generator's recorded checks with this id (see the README's table of facts).</summary>
    public static IEnumerable<(string Subject, JsonObject Detail)> Checks(string idPrefix) =>
        CheckList.Value.Select(c => c!.AsObject())
            .Where(c => c["id"]!.GetValue<string>().StartsWith(idPrefix, StringComparison.Ordinal))
            .Select(c => (c["subject"]!.GetValue<string>(), c["detail"]!.AsObject()));

    public static GatewayGroup GatewayGroupOf(string txId) => GatewayGroups.Single(g => g.TxId == txId);

    public static JsonNode Json(string relative) => JsonNode.Parse(File.ReadAllText(VectorsFolder.PathOf(relative)))!;

    private static IReadOnlyList<ChaincodeMessageFile> LoadChaincode() =>
        Json("chaincode/index.json")["transcripts"]!.AsArray().SelectMany(t =>
            t!["messages"]!.AsArray().Select(m => new ChaincodeMessageFile(
                $"{t["dir"]}/{m!["file"]}", t["label"]!.GetValue<string>(), m["type_name"]!.GetValue<string>(),
                m["txid"]!.GetValue<string>(), m["channel_id"]!.GetValue<string>(), m["direction"]!.GetValue<string>())))
        .ToArray();

    private static IReadOnlyList<GatewayGroup> LoadGateway() =>
        Json("gateway/index.json")["groups"]!.AsArray().Select(g =>
        {
            var dir = g!["dir"]!.GetValue<string>();
            var calls = g["calls"]!.AsArray().Select(c => new GatewayCall(
                c!["method"]!.GetValue<string>(),
                c["files"]!.AsArray().Select(f => new GatewayFile($"{dir}/{f!["file"]}", f["file"]!.GetValue<string>(), f["type"]!.GetValue<string>())).ToArray(),
                c["grpc_status"]?.GetValue<int>(),
                c["grpc_message"]?.GetValue<string>())).ToArray();
            return new GatewayGroup(dir, g["label"]!.GetValue<string>(), g["txid"]!.GetValue<string>(), calls);
        }).ToArray();

    private static IReadOnlyList<BlockEntry> LoadBlocks() =>
        Json("blocks/index.json")["blocks"]!.AsArray().Select(b => new BlockEntry(
            "blocks/" + b!["file"]!.GetValue<string>(),
            b["number"]!.GetValue<ulong>(),
            b["header"]!["previous_hash"]!.GetValue<string>(),
            b["header"]!["data_hash"]!.GetValue<string>(),
            b["header_asn1_der_hex"]!.GetValue<string>(),
            b["header_hash"]!.GetValue<string>(),
            b["transactions_filter_hex"]!.GetValue<string>(),
            b["signatures"]!.AsArray().Select(s => s!["signer"]!.GetValue<string>()).ToArray(),
            b["transactions"]!.AsArray().Select(t => new BlockTransactionEntry(
                t!["index"]!.GetValue<int>(), t["tx_id"]!.GetValue<string>(), t["header_type"]!.GetValue<string>(),
                t["validation_code"]?.GetValue<int>(), t["validation_code_name"]!.GetValue<string>(), t["step"]?.GetValue<string>())).ToArray()))
        .ToArray();
}

public sealed record ChaincodeMessageFile(string Path, string Label, string TypeName, string TxId, string ChannelId, string Direction);

public sealed record GatewayFile(string Path, string File, string Type);

public sealed record GatewayCall(string Method, IReadOnlyList<GatewayFile> Files, int? GrpcStatus, string? GrpcMessage)
{
    public GatewayFile? FileEnding(string suffix) => Files.SingleOrDefault(f => f.File.EndsWith(suffix, StringComparison.Ordinal));
}

public sealed record GatewayGroup(string Dir, string Label, string TxId, IReadOnlyList<GatewayCall> Calls)
{
    public GatewayCall? Call(string method) => Calls.SingleOrDefault(c => c.Method == "/gateway.Gateway/" + method);
}

public sealed record BlockEntry(
    string Path, ulong Number, string PreviousHashHex, string DataHashHex, string HeaderAsn1Hex, string HeaderHashHex,
    string TransactionsFilterHex, IReadOnlyList<string> Signers, IReadOnlyList<BlockTransactionEntry> Transactions)
{
    public bool FromOrderer => System.IO.Path.GetFileName(Path).StartsWith("orderer-", StringComparison.Ordinal);
}

public sealed record BlockTransactionEntry(int Index, string TxId, string HeaderType, int? ValidationCode, string ValidationCodeName, string? Step);
