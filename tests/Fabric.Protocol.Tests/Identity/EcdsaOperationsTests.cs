using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Fabric.Ecdsa;
using Fabric.Protocol.Identity;

namespace Fabric.Protocol.Tests.Identity;

/// <summary>The network benchmark divides by these counts, so each must count what the curve arithmetic did.</summary>
public class EcdsaOperationsTests
{
    [Fact]
    public void Each_signature_made_and_each_signature_checked_counts_once()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var publicKey = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        using var signer = new EcdsaSigner(ECDsa.Create(key.ExportParameters(includePrivateParameters: true)));
        var message = "a transaction"u8.ToArray();
        using var counts = new ThisThreadsCounts();

        var signature = signer.Sign(message);
        var second = signer.Sign(message);
        Assert.True(EcdsaSignatures.Verify(publicKey, message, signature));
        Assert.False(EcdsaSignatures.Verify(publicKey, "another transaction"u8, second));

        Assert.Equal(2, counts.Signatures);
        Assert.Equal(2, counts.Verifications);
    }

    [Fact]
    public void A_high_s_signature_is_refused_without_the_curve_arithmetic_and_is_not_counted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = "a transaction"u8.ToArray();
        var lowS = EcdsaSignatures.SignDigest(key, SHA256.HashData(message));
        var highS = LowSSignatureTests.WithSReplacedByOrderMinusS(lowS);
        using var counts = new ThisThreadsCounts();

        Assert.False(EcdsaSignatures.Verify(key, message, highS));

        Assert.Equal(0, counts.Verifications);
    }

    /// <summary>Counts only this thread's measurements: other tests sign and verify in parallel.</summary>
    private sealed class ThisThreadsCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly int _thread = Environment.CurrentManagedThreadId;

        public ThisThreadsCounts()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EcdsaOperations.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (Environment.CurrentManagedThreadId != _thread) return;
                if (instrument.Name == EcdsaOperations.SignaturesName) Signatures += value;
                else if (instrument.Name == EcdsaOperations.VerificationsName) Verifications += value;
            });
            _listener.Start();
        }

        public long Signatures { get; private set; }
        public long Verifications { get; private set; }

        public void Dispose() => _listener.Dispose();
    }
}
