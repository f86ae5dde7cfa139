using System.Globalization;
using System.Text;
using Common;
using Fabric.Network.Ledger;
using Google.Protobuf;
using Protos;

namespace Fabric.Network.SystemChaincodes;

/// <summary>
/// The query system chaincode <c>qscc</c> as a Fabric 2.5 peer runs it: arguments are the function name, the
/// channel name, then one argument; results are serialized <c>common.BlockchainInfo</c>, <c>common.Block</c> or
/// <c>peer.ProcessedTransaction</c>, and failures are status 500 with Fabric's own words (qscc's prefix around the
/// block store's "no such ... in index"), so tools that match Fabric's messages work here too.
/// </summary>
public static class QuerySystemChaincode
{
    public const string Name = "qscc";

    public const string GetChainInfo = "GetChainInfo";
    public const string GetBlockByNumber = "GetBlockByNumber";
    public const string GetBlockByHash = "GetBlockByHash";
    public const string GetTransactionByID = "GetTransactionByID";
    public const string GetBlockByTxID = "GetBlockByTxID";

    /// <summary>Runs one qscc invocation against <paramref name="ledger"/> of channel <paramref name="channelId"/>.</summary>
    public static Response Invoke(IReadOnlyList<ByteString> args, string channelId, PeerLedger ledger)
    {
        if (args.Count < 2) return Error($"Incorrect number of arguments, {args.Count}");
        var function = args[0].ToStringUtf8();
        var channel = args[1].ToStringUtf8();
        if (function != GetChainInfo && args.Count < 3) return Error($"missing 3rd argument for {function}");
        if (channel != channelId) return Error($"Invalid chain ID, {channel}");
        return function switch
        {
            GetChainInfo => Success(ChainInfo(ledger)),
            GetBlockByNumber => BlockByNumber(ledger, args[2].ToStringUtf8()),
            GetBlockByHash => BlockByHash(ledger, args[2]),
            GetTransactionByID => TransactionById(ledger, args[2].ToStringUtf8()),
            GetBlockByTxID => BlockByTransactionId(ledger, args[2].ToStringUtf8()),
            _ => Error($"Requested function {function} not found."),
        };
    }

    private static BlockchainInfo ChainInfo(PeerLedger ledger)
    {
        var height = ledger.Height;
        var info = new BlockchainInfo { Height = height };
        if (height == 0) return info;
        info.CurrentBlockHash = ByteString.CopyFrom(ledger.LastHeaderHash);
        info.PreviousBlockHash = ledger.GetBlock(height - 1).Header.PreviousHash;
        return info;
    }

    private static Response BlockByNumber(PeerLedger ledger, string text)
    {
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return Error($"Failed to parse block number with error strconv.ParseUint: parsing \"{text}\": invalid syntax");
        // As Fabric's block store: the largest number asks for the newest block.
        if (number == ulong.MaxValue && ledger.Height > 0) number = ledger.Height - 1;
        if (number >= ledger.Height) return Error($"Failed to get block number {number}, error no such block number [{number}] in index");
        return Success(ledger.GetBlock(number));
    }

    private static Response BlockByHash(PeerLedger ledger, ByteString hash)
    {
        // No hash index: walk back from the newest block (each block's previous_hash names the one before it).
        var height = ledger.Height;
        if (height > 0 && hash.Span.SequenceEqual(ledger.LastHeaderHash)) return Success(ledger.GetBlock(height - 1));
        for (var next = height - 1; height > 1 && next >= 1; next--)
        {
            if (ledger.GetBlock(next).Header.PreviousHash.Span.SequenceEqual(hash.Span)) return Success(ledger.GetBlock(next - 1));
        }
        return Error($"Failed to get block hash {Encoding.UTF8.GetString(hash.Span)}, error no such block hash [{Convert.ToHexStringLower(hash.Span)}] in index");
    }

    private static Response TransactionById(PeerLedger ledger, string txId)
    {
        if (ledger.FindTransaction(txId) is not { } committed)
            return Error($"Failed to get transaction with id {txId}, error no such transaction ID [{txId}] in index");
        var block = ledger.GetBlock(committed.BlockNumber);
        var envelope = Envelope.Parser.ParseFrom(block.Data.Data[committed.Index]);
        return Success(new ProcessedTransaction { TransactionEnvelope = envelope, ValidationCode = (int)committed.Code });
    }

    private static Response BlockByTransactionId(PeerLedger ledger, string txId) =>
        ledger.FindTransaction(txId) is { } committed
            ? Success(ledger.GetBlock(committed.BlockNumber))
            : Error($"Failed to get block for txID {txId}, error no such transaction ID [{txId}] in index");

    private static Response Success(IMessage result) => new() { Status = 200, Payload = result.ToByteString() };

    private static Response Error(string message) => new() { Status = 500, Message = message };
}
