using Fabric.Ecdsa;
using System.Security.Cryptography;
using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

/// <summary>Agencies register retailers and their terminals; the registering agency suspends terminals and rotates their keys.</summary>
[Contract("Retail")]
public sealed partial class RetailContract : Contract
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    [Transaction]
    public async Task<Retailer> RegisterRetailer(Context ctx, RetailerRegistration registration)
    {
        var agency = Caller.RequireOperator(ctx);
        var ledger = new LedgerStore(ctx);
        var id = Identifiers.RequireId(Problem.Required(registration, "A retailer registration").RetailerId, "Retailer id");
        var categories = (registration.Categories ?? []).Select(Identifiers.RequireCategory).Distinct().Order(StringComparer.Ordinal).ToList();
        if (categories.Count == 0) throw Problem.Invalid("A retailer must list the categories it sells (e.g. food).");
        var key = ledger.Key(Keys.Retailer, id);
        if (await ledger.FindAsync<Retailer>(key) is not null) throw Problem.Conflict($"Retailer {id} is registered already.");
        var retailer = new Retailer(id, agency, categories, ParticipantStatus.Active);
        await ledger.PutAsync(key, retailer);
        ledger.Emit(ChaincodeEvents.RetailerRegistered, retailer);
        return retailer;
    }

    [Transaction]
    public async Task<Terminal> RegisterTerminal(Context ctx, TerminalRegistration registration)
    {
        var ledger = new LedgerStore(ctx);
        var id = Identifiers.RequireId(Problem.Required(registration, "A terminal registration").TerminalId, "Terminal id");
        var retailerId = Identifiers.RequireId(registration.RetailerId, "Retailer id");
        var retailer = await ledger.GetAsync<Retailer>(ledger.Key(Keys.Retailer, retailerId), $"Retailer {retailerId} is not registered.");
        var agency = Caller.RequireOperatorOf(ctx, retailer.RegisteredBy, $"Retailer {retailerId}");
        var key = ledger.Key(Keys.Terminal, id);
        if (await ledger.FindAsync<Terminal>(key) is not null) throw Problem.Conflict($"Terminal {id} is registered already.");
        var terminal = new Terminal(id, retailerId, RequireP256PublicKey(registration.PublicKeyPem), 1, ParticipantStatus.Active, agency);
        return await SaveAsync(ledger, key, terminal);
    }

    /// <summary>
    /// Suspends a terminal, for a routine reason or because it was lost or stolen (docs/terminal-keys.md). Sales dated
    /// from now on are refused unless the service acknowledged them before; after a loss or theft nothing signed with
    /// the terminal's current key and dated later is honoured, even once it is reactivated. A routine suspension of a
    /// terminal then found lost or stolen can be raised to LossOrTheft; anything else repeated changes nothing.
    /// </summary>
    [Transaction]
    public Task<Terminal> SuspendTerminal(Context ctx, string terminalId, string reason)
    {
        var why = Enum.TryParse<SuspensionReason>(reason, ignoreCase: false, out var code) && Enum.IsDefined(code)
            ? code
            : throw Problem.Invalid($"Reason must be one of {string.Join(", ", Enum.GetNames<SuspensionReason>())}; got '{reason}'.");
        var now = ctx.Stub.TxTimestamp;
        return UpdateAsync(ctx, terminalId, t => t.OpenSuspension switch
        {
            null => t with { Status = ParticipantStatus.Suspended, Suspensions = [.. t.SuspensionHistory, new SuspensionPeriod(why, now, null, t.KeyVersion)] },
            { Reason: SuspensionReason.Routine } open when why == SuspensionReason.LossOrTheft => t with
            {
                Suspensions = [.. t.SuspensionHistory.Select(s => s == open ? s with { Until = now } : s), new SuspensionPeriod(why, now, null, t.KeyVersion)],
            },
            _ => t,
        });
    }

    /// <summary>Ends a suspension. A terminal suspended for loss or theft needs a new key first: its old key stays compromised.</summary>
    [Transaction]
    public Task<Terminal> ReactivateTerminal(Context ctx, string terminalId)
    {
        var now = ctx.Stub.TxTimestamp;
        return UpdateAsync(ctx, terminalId, t => t.OpenSuspension switch
        {
            null => t with { Status = ParticipantStatus.Active },
            { Reason: SuspensionReason.LossOrTheft } lost when lost.KeyVersion == t.KeyVersion =>
                throw Problem.Conflict($"Terminal {t.TerminalId} was suspended for loss or theft; rotate its key before reactivating it (key version {t.KeyVersion} stays compromised)."),
            { } open => t with { Status = ParticipantStatus.Active, Suspensions = [.. t.SuspensionHistory.Select(s => s == open ? s with { Until = now } : s)] },
        });
    }

    /// <summary>
    /// Replaces the terminal's receipt-signing key. The old key is kept as retired: sales made or acknowledged before
    /// now and signed with it are still honoured; later ones are refused. A key the terminal had before is refused.
    /// </summary>
    [Transaction]
    public Task<Terminal> RotateTerminalKey(Context ctx, string terminalId, string publicKeyPem)
    {
        var key = RequireP256PublicKey(publicKeyPem);
        var now = ctx.Stub.TxTimestamp;
        return UpdateAsync(ctx, terminalId, t =>
        {
            if (t.PublicKeyPem == key || t.RetiredKeyHistory.Any(k => k.PublicKeyPem == key))
                throw Problem.Invalid($"Terminal {t.TerminalId} has used this key before; a rotation needs a new key.");
            var retired = new RetiredKey(t.KeyVersion, t.PublicKeyPem, now, t.CurrentKeyCompromisedAt);
            return t with { PublicKeyPem = key, KeyVersion = t.KeyVersion + 1, RetiredKeys = [.. t.RetiredKeyHistory, retired] };
        });
    }

    private static async Task<Terminal> UpdateAsync(Context ctx, string terminalId, Func<Terminal, Terminal> change)
    {
        var ledger = new LedgerStore(ctx);
        var key = ledger.Key(Keys.Terminal, Identifiers.RequireId(terminalId, "Terminal id"));
        var terminal = await ledger.GetAsync<Terminal>(key, $"Terminal {terminalId} is not registered.");
        Caller.RequireOperatorOf(ctx, terminal.RegisteredBy, $"Terminal {terminalId}");
        var changed = change(terminal);
        return changed == terminal ? terminal : await SaveAsync(ledger, key, changed);
    }

    private static async Task<Terminal> SaveAsync(LedgerStore ledger, string key, Terminal terminal)
    {
        await ledger.PutAsync(key, terminal);
        ledger.Emit(ChaincodeEvents.TerminalUpdated, terminal);
        return terminal;
    }

    /// <summary>Accepts a PEM SubjectPublicKeyInfo of an ECDSA P-256 key and returns it normalised.</summary>
    private static string RequireP256PublicKey(string? pem)
    {
        using var key = EcdsaKeys.TryImportPem(pem)
            ?? throw Problem.Invalid("The terminal's public key must be a PEM 'PUBLIC KEY' (SubjectPublicKeyInfo) of an ECDSA P-256 key.");
        if (key.ExportParameters(false).Curve.Oid.Value != P256Oid) throw Problem.Invalid($"A terminal key must be ECDSA P-256; got a {key.KeySize}-bit key on another curve.");
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
