using System.Security.Cryptography;
using CashTransfer.Cli.Demo;
using CashTransfer.Local;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Gateway.Ledger;

namespace CashTransfer.Chaos.Chaos;

/// <summary>
/// The agency set of a fault-suite run, in the demo's format (so that the demo's seeder, snapshot collector and
/// invariant checker serve it unchanged): WFP and UNHCR operators, an auditor, one retailer with the run's terminals,
/// a WFP food voucher and a UNHCR cash programme, and entitlements far above what the backlog spends (every sale
/// in the backlog is valid: a rejection can only come from a fault).
/// </summary>
public static class ChaosAgency
{
    public const string RetailerId = "chaos-shop";

    public static DemoAgency Create(string dataDirectory, ChaosOptions options)
    {
        var clients = new List<DemoClient>
        {
            new("operator/chaos-wfp", ClientRole.Operator, "WFPMSP", NewKey(dataDirectory, "operator-chaos-wfp")),
            new("operator/chaos-unhcr", ClientRole.Operator, "UNHCRMSP", NewKey(dataDirectory, "operator-chaos-unhcr")),
            new("auditor/chaos-audit", ClientRole.Auditor, "UNWomenMSP", NewKey(dataDirectory, "auditor-chaos-audit")),
        };
        var terminals = Enumerable.Range(1, options.Terminals).Select(i => new DemoTerminalSpec($"chaos-pos-{i:D2}", NewKey(dataDirectory, $"terminal-chaos-pos-{i:D2}"),
            Path.Combine("terminals", $"chaos-pos-{i:D2}.journal.db"), StaysOnline: false)).ToList();
        var agency = new DemoAgency("WFPMSP", "JOD", RetailerId, ["food"], clients, terminals,
            [
                new("chaos-wfp-food", "WFPMSP", "Voucher", ["food"], Priority: 1, PerBeneficiaryMinor: 5_000_000),
                new("chaos-unhcr-cash", "UNHCRMSP", "Cash", [], Priority: 2, PerBeneficiaryMinor: 5_000_000),
            ],
            options.Terminals * options.BeneficiariesPerTerminal, GatewayUrl: null, Seeded: false, Settlements: [],
            CreatedAt: DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        agency.Save(dataDirectory);
        return agency;
    }

    /// <summary>A fresh P-256 key in the demo folder's credentials (owner-only), by its path relative to that folder.</summary>
    public static string NewKey(string dataDirectory, string name)
    {
        var relative = Path.Combine("credentials", name + ".key.pem");
        var path = DemoAgency.Resolve(dataDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return relative;
    }
}
