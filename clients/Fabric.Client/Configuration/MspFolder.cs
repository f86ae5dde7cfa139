using Fabric.Protocol.Identity;

namespace Fabric.Client.Configuration;

/// <summary>
/// Reads a client identity from the MSP folder layout that cryptogen and the Fabric CA client write:
/// <c>signcerts/*.pem</c> (the certificate) and <c>keystore/*</c> (the PEM private key, e.g. <c>priv_sk</c>).
/// Kept minimal and internal: Fabric.Protocol's MSP loader (roles, CA chains) is the full one.
/// </summary>
internal static class MspFolder
{
    public static X509Identity LoadIdentity(string mspId, string mspPath) =>
        new(mspId, File.ReadAllText(SingleFile(Path.Combine(mspPath, "signcerts"), "certificate")));

    public static string KeyPath(string mspPath) => SingleFile(Path.Combine(mspPath, "keystore"), "private key");

    private static string SingleFile(string folder, string what)
    {
        if (!Directory.Exists(folder))
            throw new FileNotFoundException($"The MSP folder has no {Path.GetFileName(folder)}/ folder for its {what}: {folder}");
        var files = Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();
        return files.Length switch
        {
            1 => files[0],
            0 => throw new FileNotFoundException($"No {what} in {folder}."),
            _ => throw new InvalidDataException($"{folder} holds {files.Length} files; expected one {what}. Name the file in the settings instead."),
        };
    }
}
