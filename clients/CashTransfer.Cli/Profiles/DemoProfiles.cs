using CashTransfer.Cli.Demo;

namespace CashTransfer.Cli.Profiles;

/// <summary>
/// The profiles <c>cashtransfer up</c> (<c>make run</c>) writes for the demo identities: each agency's operator and
/// the auditor, named after their key ids (<c>wfp-ops</c>, <c>unhcr-ops</c>, <c>unwomen-audit</c>), pointing at the
/// served URL and at the keys in the data directory.
/// </summary>
public static class DemoProfiles
{
    public static IReadOnlyList<Profile> Write(ProfileStore store, DemoAgency agency, string dataDirectory, Uri url)
    {
        var profiles = agency.Clients.Select(c => new Profile(c.KeyId[(c.KeyId.IndexOf('/') + 1)..], url, c.KeyId,
            Path.GetFullPath(DemoAgency.Resolve(dataDirectory, c.KeyFile)))).ToList();
        foreach (var p in profiles) store.Save(p);
        return profiles;
    }
}
