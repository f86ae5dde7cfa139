using System.Security.Authentication;

namespace Fabric.Grpc.Client;

/// <summary>
/// Reports a failed TLS handshake (an untrusted or misnamed server certificate, a refused client certificate) as a
/// connection failure. grpc-go and grpc-js, and so Fabric's own clients, end such a call with UNAVAILABLE;
/// Grpc.Net.Client says INTERNAL unless the cause is an <see cref="IOException"/>, so the cause is wrapped in one.
/// Under TLS 1.3 a server refuses a missing client certificate after the client's side of the handshake is done, so
/// the client meets it as a failed (secure) connection, or as a new connection that closed before its first request,
/// rather than an AuthenticationException: the same failure.
/// </summary>
internal sealed class HandshakeFailureHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (Handshake(e) is { } handshake)
        {
            throw new HttpRequestException(e.HttpRequestError, e.Message, new IOException(handshake.Message, handshake));
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.SecureConnectionError or HttpRequestError.ConnectionError
                                             && e.InnerException is not IOException)
        {
            throw new HttpRequestException(e.HttpRequestError, e.Message, new IOException(e.Message, e.InnerException ?? e));
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.Unknown && e.InnerException is null)
        {
            // "An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake":
            // the new connection closed before it took a request, as when a TLS 1.3 server refuses the client's
            // certificate just after the handshake (seen under load). SocketsHttpHandler raises it with no cause.
            throw new HttpRequestException(HttpRequestError.ConnectionError, e.Message, new IOException(e.Message, e));
        }
    }

    private static AuthenticationException? Handshake(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
            if (e is AuthenticationException handshake) return handshake;
        return null;
    }
}
