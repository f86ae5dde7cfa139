using Fabric.Protocol.Tests.Vectors;
using Gateway;
using Protos;

namespace Fabric.Protocol.Tests.Transactions;

/// <summary>An evaluate's result is the chaincode's COMPLETED response, unchanged.</summary>
public class EvaluateVectorTests
{
    public static TheoryData<string> Evaluates => VectorRows.Of(() =>
        VectorIndex.GatewayGroups.Where(g => g.Call("Evaluate")?.FileEnding("-response.bin") is not null).Select(g => g.Dir));

    [Theory]
    [MemberData(nameof(Evaluates))]
    public void Evaluate_result_is_the_completed_chaincode_response(string dir)
    {
        var group = VectorIndex.GatewayGroups.Single(g => g.Dir == VectorRows.Require(dir));
        var response = VectorMessages.Read(group.Call("Evaluate")!.FileEnding("-response.bin")!.Path, EvaluateResponse.Parser);
        var completedFile = VectorIndex.ChaincodeMessages.Last(m => m.TxId == group.TxId && m.TypeName == "COMPLETED");
        var completed = VectorMessages.Read(completedFile.Path, ChaincodeMessage.Parser);

        Assert.Equal(Response.Parser.ParseFrom(completed.Payload), response.Result);
        Assert.Equal(200, response.Result.Status);
    }
}
