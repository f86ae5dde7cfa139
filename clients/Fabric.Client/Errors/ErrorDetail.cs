namespace Fabric.Client;

/// <summary>
/// One peer's or orderer's failure as the Fabric Gateway reports it (<c>gateway.ErrorDetail</c> inside the
/// <c>grpc-status-details-bin</c> trailer): which endpoint, which organisation, and what it said.
/// </summary>
/// <param name="Address">Endpoint address, e.g. <c>peer0.org1.example.com:7051</c>.</param>
/// <param name="MspId">The endpoint's organisation.</param>
/// <param name="Message">The endpoint's error, e.g. <c>chaincode response 500, ...</c>.</param>
public sealed record ErrorDetail(string Address, string MspId, string Message);
