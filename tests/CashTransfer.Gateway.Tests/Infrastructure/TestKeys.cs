using CashTransfer.Api.Signing;
using System.Security.Cryptography;
using Fabric.Protocol.Identity;

namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>A fresh ECDSA P-256 key pair: the PEM public key to register and a low-S signer.</summary>
public sealed class TestKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestKey() => Signer = new P256Signer(_key);

    public P256Signer Signer { get; }
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();
    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    public void Dispose() => Signer.Dispose();
}
