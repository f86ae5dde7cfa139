using System.Security.Cryptography.X509Certificates;

namespace Fabric.Protocol.Msp;

/// <summary>
/// One NodeOU rule from an MSP's <c>config.yaml</c>: certificates with this organisational unit (and, when
/// <see cref="Certificate"/> is set, issued under that CA certificate) have the role.
/// </summary>
public sealed record NodeOuIdentifier(string OrganizationalUnit, X509Certificate2? Certificate);
