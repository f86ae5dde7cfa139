namespace Fabric.Shim.Stub;

/// <summary>A chaincode's answer (<c>peer.Response</c>): status 200 is success, 400-499 a client error, 500 an error.</summary>
public sealed record ChaincodeResponse(int Status, string Message, byte[] Payload)
{
    public static ChaincodeResponse Success(byte[] payload) => new(200, "", payload);
    public static ChaincodeResponse Error(string message, int status = 500) => new(status, message, []);
    public bool IsSuccess => Status is >= 200 and < 400;
}
