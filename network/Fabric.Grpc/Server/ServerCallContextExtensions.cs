using System.Security.Cryptography.X509Certificates;
using Grpc.Core;

namespace Fabric.Grpc.Server;

public static class ServerCallContextExtensions
{
    /// <summary>The client's TLS certificate when mutual TLS is on; null otherwise.</summary>
    public static X509Certificate2? ClientCertificate(this ServerCallContext context)
    {
        var call = context is StoppableServerCallContext stoppable ? stoppable.Inner : context;
        return call.GetHttpContext().Connection.ClientCertificate;
    }
}
