using System.Diagnostics.Metrics;

namespace Fabric.Ecdsa;

/// <summary>
/// Counts the ECDSA signatures this process makes and checks, on the <c>Fabric.Ecdsa</c> meter. Signatures are the
/// largest share of a transaction's CPU, so a throughput is read against the rate its signatures alone would allow
/// (Fabric.Network.Benchmarks), and that needs the signatures actually made and checked, not a count from the flow.
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
