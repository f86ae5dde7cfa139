using Fabric.Client;
using Fabric.Client.Configuration;

namespace Fabric.Network.LiveTests;

/// <summary>
/// The running network/fabric network as the live tests see it: one client profile per agency in the folder
/// named by <c>CASHTRANSFER_FABRIC_CLIENTS</c> (written by the network scripts in GatewaySettings format).
/// </summary>
public static class LiveNetwork
{
    public const string ClientsVariable = "CASHTRANSFER_FABRIC_CLIENTS";

    /// <summary>Why the live tests skip, or null when a network is there to test.</summary>
    public static string? SkipReason { get; } = FindSkipReason();

    public static string ClientsFolder => Environment.GetEnvironmentVariable(ClientsVariable)!;

    /// <summary>Agency names (the profile file names), sorted.</summary>
    public static IReadOnlyList<string> Agencies =>
        Directory.GetFiles(ClientsFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();

    /// <summary>The agency's plain client user (clients/{agency}.json), with <see cref="Resilient"/> options.</summary>
    public static GatewayConnection Connect(string agency) =>
        GatewayConnection.Open(GatewaySettings.Load(Path.Combine(ClientsFolder, agency + ".json")), Resilient());

    /// <summary>A role user of an agency (operator, auditor, gateway): clients/roles/{agency}-{role}.json, with <see cref="Resilient"/> options.</summary>
    public static GatewayConnection ConnectAs(string agency, string role) =>
        GatewayConnection.Open(GatewaySettings.Load(Path.Combine(ClientsFolder, "roles", $"{agency}-{role}.json")), Resilient());

    /// <summary>
    /// Fabric.Client's default resilience, as an application on a real network runs it: a busy machine can let a first
    /// call on a new connection pass its deadline, and with two agencies a peer may endorse before it committed the
    /// block the other peer read from (an endorsement mismatch). Both are retried; a contract's own error never is.
    /// Tests that check the flow step by step (endorse, submit, commit status) still see every commit status as it is.
    /// </summary>
    public static GatewayOptions Resilient() => new() { Resilience = GatewayResilienceOptions.Default };

    public static Contract Contract(this GatewayConnection connection, string chaincode) =>
        connection.Gateway.GetNetwork(connection.Settings.Channel!).GetContract(chaincode);

    // Only an unset variable skips: a variable naming a missing or empty folder is a broken setup and fails.
    private static string? FindSkipReason() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ClientsVariable))
            ? $"live Fabric tier: no network ({ClientsVariable} unset); run `make network-test` with FABRIC_BIN set to Fabric 2.5's bin/"
            : null;
}

/// <summary>A fact that runs only against a live network and is reported as skipped, with the reason, otherwise.</summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public LiveFactAttribute()
    {
        if (LiveNetwork.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that runs only against a live network and is reported as skipped, with the reason, otherwise.</summary>
public sealed class LiveTheoryAttribute : TheoryAttribute
{
    public LiveTheoryAttribute()
    {
        if (LiveNetwork.SkipReason is { } reason) Skip = reason;
    }
}
