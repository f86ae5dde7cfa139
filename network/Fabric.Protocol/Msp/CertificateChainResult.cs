namespace Fabric.Protocol.Msp;

/// <summary>The outcome of <see cref="CertificateChain.Validate"/>: valid, or why not.</summary>
public sealed record CertificateChainResult(bool IsValid, string? Error)
{
    public static CertificateChainResult Valid { get; } = new(true, null);

    public static CertificateChainResult Invalid(string error) => new(false, error);
}
