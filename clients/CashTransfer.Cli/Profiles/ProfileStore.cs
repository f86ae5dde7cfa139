using System.Text.Json;

namespace CashTransfer.Cli.Profiles;

/// <summary>A profile was asked for that is not there, or the profiles file cannot be read: the user can fix it.</summary>
public sealed class ProfileException(string message) : Exception(message);

/// <summary>
/// The profiles of this user, in <c>profiles.json</c> under the user's config folder (<c>~/.config/cashtransfer</c> on
/// Linux; <c>CASHTRANSFER_CONFIG</c> overrides the folder). The first profile added is the default until another is
/// made the default. Written through a temporary file moved into place, so that a crash never leaves half of it.
/// </summary>
public sealed class ProfileStore(string folder)
{
    public const string FolderVariable = "CASHTRANSFER_CONFIG";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record ProfilesFile(string? Default, List<Profile> Profiles);

    /// <summary>The store in <c>$CASHTRANSFER_CONFIG</c>, else in the user's config folder.</summary>
    public static ProfileStore ForUser() => new(Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "cashtransfer"));

    public string FilePath => Path.Combine(folder, "profiles.json");

    public IReadOnlyList<Profile> List() => Load().Profiles;

    public string? DefaultName => Load().Default;

    /// <summary>Adds or replaces the profile of that name; the first profile becomes the default, as does any added with <paramref name="makeDefault"/>.</summary>
    public void Save(Profile profile, bool makeDefault = false)
    {
        var file = Load();
        file.Profiles.RemoveAll(p => p.Name == profile.Name);
        file.Profiles.Add(profile);
        file.Profiles.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        Write(file with { Default = makeDefault || file.Default is null ? profile.Name : file.Default });
    }

    /// <summary>The named profile, or the default one when <paramref name="name"/> is null.</summary>
    public Profile Resolve(string? name)
    {
        var file = Load();
        if (file.Profiles.Count == 0)
            throw new ProfileException("No profile is set up. Add one: cashtransfer profile add NAME --url URL --key-id ID --key-file PEM (make run writes the demo's).");
        var wanted = name ?? file.Default;
        return file.Profiles.FirstOrDefault(p => p.Name == wanted)
            ?? throw new ProfileException($"No profile named '{wanted}'. Known: {string.Join(", ", file.Profiles.Select(p => p.Name))} (cashtransfer profile list).");
    }

    private ProfilesFile Load()
    {
        if (!File.Exists(FilePath)) return new ProfilesFile(null, []);
        try
        {
            return JsonSerializer.Deserialize<ProfilesFile>(File.ReadAllText(FilePath), Json) ?? new ProfilesFile(null, []);
        }
        catch (JsonException e)
        {
            throw new ProfileException($"{FilePath} is not a profiles file ({e.Message}); fix or delete it and add the profiles again.");
        }
    }

    private void Write(ProfilesFile file)
    {
        Directory.CreateDirectory(folder);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(file, Json));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, FilePath, overwrite: true);
    }
}
