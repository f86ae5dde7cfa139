using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Cli.Demo;
using CashTransfer.Cli.Profiles;
using CashTransfer.Cli.Serving;

namespace CashTransfer.Cli.Audit;

/// <summary>
/// Whom an auditor's command acts as and at which service: a CLI profile (its URL and key, as every other command
/// signs), or the auditor key of a local stack's data directory. Chosen in this order: <c>--profile NAME</c>; else
/// <c>--data DIR</c>; else the local stack in <c>./.data</c> when there is one (what <c>make run</c> and
/// <c>make demo</c> use); else the default profile. <c>--gateway-url</c> overrides the URL either way.
/// </summary>
public sealed record AuditorIdentity(Uri Service, Func<CashTransferClient> Connect)
{
    public const string LocalDataDirectory = ".data";

    /// <summary>The identity to act as; null when neither a profile nor a data directory gives one.</summary>
    /// <exception cref="ProfileException">The named (or default) profile is missing, or its key file is.</exception>
    public static AuditorIdentity? Resolve(ProfileStore profiles, string? profileName, string? dataDirectory, Uri? gatewayUrl)
    {
        if (profileName is not null) return FromProfile(profiles.Resolve(profileName), gatewayUrl);
        if (dataDirectory is not null) return FromDataDirectory(dataDirectory, gatewayUrl);
        return FromDataDirectory(LocalDataDirectory, gatewayUrl) ?? (profiles.DefaultName is null ? null : FromProfile(profiles.Resolve(null), gatewayUrl));
    }

    public static AuditorIdentity FromProfile(Profile profile, Uri? gatewayUrl)
    {
        if (!File.Exists(profile.KeyFile))
            throw new ProfileException($"The key file of profile '{profile.Name}' is missing: {profile.KeyFile}. Add the profile again with the right --key-file.");
        var service = gatewayUrl ?? profile.Url;
        return new AuditorIdentity(service,
            () => CashTransferClient.Connect(service, profile.KeyId, P256Signer.FromPem(File.ReadAllText(profile.KeyFile)), ownsSigner: true));
    }

    /// <summary>The auditor of the local stack in <paramref name="dataDirectory"/>; null when it holds none.</summary>
    public static AuditorIdentity? FromDataDirectory(string dataDirectory, Uri? gatewayUrl)
    {
        var agency = DemoAgency.TryLoad(dataDirectory);
        if (agency is null) return null;
        var service = gatewayUrl ?? (agency.GatewayUrl is { } u ? new Uri(u) : ServedStack.DefaultGatewayUrl);
        return new AuditorIdentity(service, () => DemoClients.Connect(service, dataDirectory, agency.Auditor));
    }
}
