using CashTransfer.Testing.NodeCounterparts;
using Fabric.Protocol.Identity;
using Google.Protobuf;

namespace Fabric.Client.Tests;

/// <summary>The real Fabric 2.5 bytes in ../shared/vectors (relative to the repository root).</summary>
internal static class Vectors
{
    public static string Root { get; } = Locate();

    public static string GatewayDir => Path.Combine(Root, "gateway");

    public static string UserMsp => Path.Combine(Root, "crypto", "peerOrganizations", "org1.example.com", "users", "User1@org1.example.com", "msp");

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path.Combine(GatewayDir, relative));

    public static T Parse<T>(MessageParser<T> parser, string relative) where T : IMessage<T> => parser.ParseFrom(Bytes(relative));

    /// <summary>User1@org1: the identity that made every recorded client request.</summary>
    public static X509Identity UserIdentity() =>
        new("Org1MSP", File.ReadAllText(Path.Combine(UserMsp, "signcerts", "User1@org1.example.com-cert.pem")));

    public static EcdsaSigner UserSigner() => EcdsaSigner.FromPem(File.ReadAllText(Path.Combine(UserMsp, "keystore", "priv_sk")));

    /// <summary>Every recorded call folder with a request of the given method, e.g. "endorse".</summary>
    public static IEnumerable<string> GroupsWith(string fileSuffix) =>
        Directory.GetDirectories(GatewayDir).Order(StringComparer.Ordinal)
            .Where(d => Directory.GetFiles(d, "*" + fileSuffix).Length > 0)
            .Select(Path.GetFileName)!;

    private static string Locate()
    {
        var root = RepositoryRoot.Path;
        var vectors = Path.GetFullPath(Path.Combine(root, "..", "shared", "vectors"));
        if (Directory.Exists(Path.Combine(vectors, "gateway"))) return vectors;
        // A git worktree keeps a ".git" file naming the main repository; the vectors sit next to that one.
        var main = MainRepositoryOfWorktree(root);
        var fromMain = main is null ? null : Path.GetFullPath(Path.Combine(main, "..", "shared", "vectors"));
        if (fromMain is not null && Directory.Exists(Path.Combine(fromMain, "gateway"))) return fromMain;
        throw new InvalidOperationException($"The Fabric test vectors are missing: expected {vectors}/gateway next to the repository.");
    }

    private static string? MainRepositoryOfWorktree(string root)
    {
        var gitFile = Path.Combine(root, ".git");
        if (!File.Exists(gitFile)) return null;
        var line = File.ReadAllText(gitFile).Trim();
        if (!line.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
        // gitdir: <main>/.git/worktrees/<name>
        var gitDir = new DirectoryInfo(Path.GetFullPath(line["gitdir:".Length..].Trim(), root));
        return gitDir.Parent?.Parent?.Parent?.FullName;
    }
}
