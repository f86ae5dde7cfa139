namespace Fabric.Shim.Contracts;

/// <summary>
/// An error a contract reports to its caller: becomes a chaincode response with this status and message.
/// Any other exception becomes status 500 with its message; nothing a contract throws breaks the connection.
/// </summary>
public class ChaincodeException : Exception
{
    public ChaincodeException(string message, int status = 500, byte[]? payload = null) : base(message)
    {
        Status = status;
        Payload = payload ?? [];
    }

    public int Status { get; }
    public byte[] Payload { get; }
}
