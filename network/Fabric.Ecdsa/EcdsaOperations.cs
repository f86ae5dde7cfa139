using System.Diagnostics.Metrics;

namespace Fabric.Ecdsa;

/// <summary>
/// Counts the ECDSA signatures this process makes and checks, on the <c>Fabric.Ecdsa</c> meter: signatures are
/// most of a transaction's CPU, so a rate is read against what the signatures actually performed would allow.
/// </summary>
public static class EcdsaOperations
{
    public const string MeterName = "Fabric.Ecdsa";
    public const string SignaturesName = "fabric.ecdsa.signatures";
    public const string VerificationsName = "fabric.ecdsa.verifications";

    private static readonly Meter Meter = new(MeterName);
    internal static readonly Counter<long> Signatures = Meter.CreateCounter<long>(SignaturesName, "{signature}", "ECDSA signatures made");
    internal static readonly Counter<long> Verifications = Meter.CreateCounter<long>(VerificationsName, "{verification}", "ECDSA signatures verified (the curve arithmetic ran)");
}
