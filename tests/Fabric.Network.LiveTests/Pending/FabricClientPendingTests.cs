namespace Fabric.Network.LiveTests;

/// <summary>Stands in for the live tests while clients/Fabric.Client is not in the tree (they need it to compile).</summary>
public sealed class FabricClientPendingTests
{
    [Fact(Skip = "live Fabric tier through Fabric.Client: clients/Fabric.Client is not in this tree yet")]
    public void Live_tests_need_Fabric_Client()
    {
    }
}
