namespace Fabric.Client;

/// <summary>
/// Defaults for calls made through a <see cref="Gateway"/>: per-kind deadlines (the same defaults as
/// hyperledger/fabric-gateway's samples), the TLS client certificate hash for mutual TLS, and resilience.
/// Every call also takes its own timeout and a CancellationToken.
/// </summary>
public sealed class GatewayOptions
{
    public TimeSpan EvaluateTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan EndorseTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan CommitStatusTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deadline for event streams; null (the default) keeps them open until cancelled.</summary>
    public TimeSpan? EventsTimeout { get; set; }

    /// <summary>
    /// SHA-256 of the TLS client certificate, needed in block-event requests only when the gRPC connection uses
    /// mutual TLS (the peer binds the request to the TLS session).
    /// </summary>
    public byte[]? TlsClientCertificateHash { get; set; }

    /// <summary>Retries and recovery; <see cref="GatewayResilienceOptions.None"/> unless set.</summary>
    public GatewayResilienceOptions Resilience { get; set; } = GatewayResilienceOptions.None;
}
