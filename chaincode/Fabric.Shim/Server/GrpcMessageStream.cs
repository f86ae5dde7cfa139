using System.Runtime.CompilerServices;
using Grpc.Core;
using Fabric.Grpc.Server;
using Fabric.Shim.Handler;
using Protos;

namespace Fabric.Shim.Server;

/// <summary>Adapts one server-side <c>Connect</c> call to the handler's transport-free stream.</summary>
internal sealed class GrpcMessageStream(IAsyncEnumerable<ChaincodeMessage> requests, IServerStreamWriter<ChaincodeMessage> responses) : IChaincodeMessageStream
{
    public async IAsyncEnumerable<ChaincodeMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return message;
    }

    public Task WriteAsync(ChaincodeMessage message, CancellationToken cancellationToken) => responses.WriteAsync(message, cancellationToken);
}
