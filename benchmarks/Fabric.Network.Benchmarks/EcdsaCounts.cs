using System.Diagnostics.Metrics;
using Fabric.Ecdsa;

namespace Fabric.Network.Benchmarks;

/// <summary>The ECDSA signatures made and checked in this process (network, chaincode and clients), from the Fabric.Ecdsa meter.</summary>
public sealed class EcdsaCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _signatures, _verifications;

    public EcdsaCounts()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EcdsaOperations.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == EcdsaOperations.SignaturesName) Interlocked.Add(ref _signatures, value);
            else if (instrument.Name == EcdsaOperations.VerificationsName) Interlocked.Add(ref _verifications, value);
        });
        _listener.Start();
    }

    public (long Signatures, long Verifications) Now => (Interlocked.Read(ref _signatures), Interlocked.Read(ref _verifications));

    public void Dispose() => _listener.Dispose();
}
