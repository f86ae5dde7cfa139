using System.Security.Cryptography;
using System.Text.Json;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Api.Signing;

namespace CashTransfer.Local;

/// <summary>A client of the gateway service with the file holding its private key (PEM, PKCS#8; owner-only).</summary>
public sealed record DemoClient(string KeyId, ClientRole Role, string AgencyMsp, string KeyFile);

/// <summary>A simulated POS terminal: its receipt- and request-signing key and its offline journal (SQLite).</summary>
public sealed record DemoTerminalSpec(string TerminalId, string KeyFile, string JournalFile, bool StaysOnline);

/// <summary>A demo programme and the agency whose operator owns it.</summary>
public sealed record DemoProgramme(string ProgrammeId, string OwnerMsp, string Kind, IReadOnlyList<string> Categories, int Priority, long PerBeneficiaryMinor);

/// <summary>
/// The demo agency set, written once under <c>&lt;data&gt;/demo/agency.json</c>: the gateway's operators and auditor,
/// a retailer, its terminals, two programmes, the beneficiary count, the URL the gateway was last served at,
/// whether the ledger and the service have been seeded, the settlements the demo made, and when the set was created
/// (the programmes' validity window derives from it, so that a repeated seed sends the very same requests). The private keys sit beside it in <c>credentials/</c>.
/// </summary>
public sealed record DemoAgency(
    string GatewayAgencyMsp,
    string Currency,
    string RetailerId,
    IReadOnlyList<string> RetailerCategories,
    IReadOnlyList<DemoClient> Clients,
    IReadOnlyList<DemoTerminalSpec> Terminals,
    IReadOnlyList<DemoProgramme> Programmes,
    int Beneficiaries,
    string? GatewayUrl,
    bool Seeded,
    IReadOnlyList<string> Settlements,
    DateTimeOffset CreatedAt)
{
    public const string FileName = "agency.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static string DirectoryOf(string dataDirectory) => Path.Combine(dataDirectory, "demo");

    public static string PathOf(string dataDirectory) => Path.Combine(DirectoryOf(dataDirectory), FileName);

    /// <summary>The agency set of this data directory, created (with fresh keys) the first time.</summary>
    public static DemoAgency LoadOrCreate(string dataDirectory) => TryLoad(dataDirectory) ?? Create(dataDirectory);

    public static DemoAgency? TryLoad(string dataDirectory)
    {
        var path = PathOf(dataDirectory);
        return File.Exists(path) ? JsonSerializer.Deserialize<DemoAgency>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Writes the file through a temporary file moved into place, so that a crash never leaves half of it.</summary>
    public void Save(string dataDirectory)
    {
        var path = PathOf(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public DemoClient Operator(string agencyMsp) => Clients.Single(c => c.Role == ClientRole.Operator && c.AgencyMsp == agencyMsp);

    public DemoClient Auditor => Clients.First(c => c.Role == ClientRole.Auditor);

    /// <summary>Resolves a path kept relative to the demo folder.</summary>
    public static string Resolve(string dataDirectory, string relative) => Path.Combine(DirectoryOf(dataDirectory), relative);

    public static P256Signer Signer(string dataDirectory, string keyFile) => P256Signer.FromPem(File.ReadAllText(Resolve(dataDirectory, keyFile)));

    public static string PublicKeyPem(string dataDirectory, string keyFile)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Resolve(dataDirectory, keyFile)));
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static DemoAgency Create(string dataDirectory)
    {
        var credentials = Path.Combine(DirectoryOf(dataDirectory), "credentials");
        Directory.CreateDirectory(credentials);
        string NewKey(string name)
        {
            var relative = Path.Combine("credentials", name + ".key.pem");
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var path = Resolve(dataDirectory, relative);
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return relative;
        }
        var clients = new List<DemoClient>
        {
            new("operator/wfp-ops", ClientRole.Operator, "WFPMSP", NewKey("operator-wfp-ops")),
            new("operator/unhcr-ops", ClientRole.Operator, "UNHCRMSP", NewKey("operator-unhcr-ops")),
            new("auditor/unwomen-audit", ClientRole.Auditor, "UNWomenMSP", NewKey("auditor-unwomen-audit")),
        };
        // Half the terminals sell online (each sale sent as it happens), half queue sales offline and sync later.
        var terminals = Enumerable.Range(1, 6).Select(i => new DemoTerminalSpec($"demo-pos-{i}", NewKey($"terminal-demo-pos-{i}"),
            Path.Combine("terminals", $"demo-pos-{i}.journal.db"), StaysOnline: i <= 3)).ToList();
        var agency = new DemoAgency(
            GatewayAgencyMsp: "WFPMSP",
            Currency: "JOD",
            RetailerId: "demo-shop",
            RetailerCategories: ["food", "hygiene"],
            Clients: clients,
            Terminals: terminals,
            Programmes:
            [
                new("demo-wfp-food", "WFPMSP", "Voucher", ["food"], Priority: 1, PerBeneficiaryMinor: 20_000),
                new("demo-unhcr-cash", "UNHCRMSP", "Cash", [], Priority: 2, PerBeneficiaryMinor: 10_000),
            ],
            Beneficiaries: 24,
            GatewayUrl: null,
            Seeded: false,
            Settlements: [],
            CreatedAt: DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        agency.Save(dataDirectory);
        return agency;
    }

    /// <summary>The request-signing key id of a terminal (its receipt key, under the request domain tag).</summary>
    public static string TerminalKeyId(string terminalId) => RequestSignature.TerminalKeyId(terminalId);
}
