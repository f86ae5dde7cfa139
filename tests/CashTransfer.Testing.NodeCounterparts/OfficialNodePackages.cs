namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>The official packages installed in tests/interop/node (pinned by its package-lock.json) that tests run against.</summary>
public static class OfficialNodePackages
{
    public const string GrpcJs = "@grpc/grpc-js";
    public const string FabricGateway = "@hyperledger/fabric-gateway";
    public const string FabricProtos = "@hyperledger/fabric-protos";
    public const string FabricContractApi = "fabric-contract-api";
    public const string FabricShim = "fabric-shim";
}
