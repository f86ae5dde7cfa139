using Fabric.Shim.Stub;

namespace Fabric.Shim.Handler;

/// <summary>
/// The low-level chaincode interface the handler drives: one call per INIT or TRANSACTION message.
/// <see cref="Contracts.ContractRouter"/> implements it for contract classes; implement it directly only for
/// chaincode that routes its own arguments.
/// </summary>
public interface IChaincode
{
    /// <summary>Answers an INIT message (a chaincode definition that requires initialisation).</summary>
    Task<ChaincodeResponse> InitAsync(IChaincodeStub stub);

    /// <summary>Answers a TRANSACTION message.</summary>
    Task<ChaincodeResponse> InvokeAsync(IChaincodeStub stub);
}
