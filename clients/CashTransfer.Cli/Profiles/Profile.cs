namespace CashTransfer.Cli.Profiles;

/// <summary>
/// Who the CLI acts as, and where: the service's URL, the key id the service knows, and the PEM file of the
/// private key that signs the requests (the key itself is never copied into the profile).
/// </summary>
public sealed record Profile(string Name, Uri Url, string KeyId, string KeyFile);
