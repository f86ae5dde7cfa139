using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Fabric.Grpc.Server;

public static class ServerCallContextExtensions
{
    /// <summary>The client's TLS certificate when mutual TLS is on; null otherwise.</summary>
    public static X509Certificate2? ClientCertificate(this ServerCallContext context) =>
        Unwrapped(context).GetHttpContext().Connection.ClientCertificate;

    /// <summary>
    /// The request's abort token, as Grpc.AspNetCore.Server's request reader reads it (from the lifetime feature): it
    /// fires when the client resets, before the call's own token does.
    /// </summary>
    internal static CancellationToken RequestAborted(this ServerCallContext context) =>
        Unwrapped(context).GetHttpContext().Features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;

    private static ServerCallContext Unwrapped(ServerCallContext context) => context is StoppableServerCallContext stoppable ? stoppable.Inner : context;
}
