using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;
using Fabric.Protocol.Tests.Ledger;
using Fabric.Protocol.Tests.Vectors;
using Gateway;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>The chaincode-events request is signed by its identity; each response holds the events of its block's valid transactions.</summary>
public class ChaincodeEventsVectorTests
{
    public static TheoryData<string> Responses => VectorRows.Of(() =>
        VectorIndex.GatewayFiles.Where(f => f.Type == "gateway.ChaincodeEventsResponse").Select(f => f.Path));

    public static TheoryData<string> Requests => VectorRows.Of(() =>
        VectorIndex.GatewayFiles.Where(f => f.Type == "gateway.SignedChaincodeEventsRequest").Select(f => f.Path));

    [Theory]
    [MemberData(nameof(Requests))]
    public void Request_is_signed_by_the_identity_it_names(string path)
    {
        var signed = VectorMessages.Read(VectorRows.Require(path), SignedChaincodeEventsRequest.Parser);
        var request = ChaincodeEventsRequest.Parser.ParseFrom(signed.Request);
        var identity = X509Identity.FromSerializedIdentity(request.Identity.Span);

        Assert.Equal("kvcc", request.ChaincodeId);
        Assert.True(identity.Verify(signed.Request.Span, signed.Signature.Span));
        Assert.True(EcdsaSignatures.IsLowS(signed.Signature.Span));
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void Events_are_those_of_the_valid_transactions_in_the_block(string path)
    {
        var response = VectorMessages.Read(VectorRows.Require(path), ChaincodeEventsResponse.Parser);
        var recorded = VectorIndex.Json(Path.ChangeExtension(path, ".json"));
        var entry = VectorIndex.Blocks.Single(b => !b.FromOrderer && b.Number == response.BlockNumber);

        var blockEvents = BlockTransactions.Read(BlockVectorTests.Load(entry.Path).Block)
            .Where(t => t.IsValid)
            .SelectMany(t => t.Envelope.Actions)
            .Select(a => a.Event)
            .OfType<Protos.ChaincodeEvent>()
            .Where(e => e.ChaincodeId == "kvcc");

        Assert.Equal(recorded["block_number"]!.GetValue<ulong>(), response.BlockNumber);
        Assert.NotEmpty(response.Events);
        Assert.Equal(blockEvents, response.Events);
    }
}
