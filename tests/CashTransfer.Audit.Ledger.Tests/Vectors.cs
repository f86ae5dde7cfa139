using Common;
using Fabric.Protocol.Identity;

namespace CashTransfer.Audit.Ledger.Tests;

/// <summary>The real Fabric 2.5.5 blocks and crypto material in ../shared/vectors beside the repository.</summary>
internal static class Vectors
{
    public static string Root { get; } = Locate();

    /// <summary>Blocks 23 to 31: consecutive data blocks of channel mychannel (block 0 is its genesis config block).</summary>
    public static IReadOnlyList<ulong> DataBlocks { get; } = [23, 24, 25, 26, 27, 28, 29, 30, 31];

    public static Block Block(ulong number) => Common.Block.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Root, "blocks", $"block-{number}.pb")));

    public static Block OrdererBlock23() => Common.Block.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Root, "blocks", "orderer-block-23.pb")));

    private static string UserMsp => Path.Combine(Root, "crypto", "peerOrganizations", "org1.example.com", "users", "User1@org1.example.com", "msp");

    /// <summary>User1@org1 (a client of Org1MSP): the creator of every data transaction, and the only private key in the corpus.</summary>
    public static X509Identity User1() => new("Org1MSP", File.ReadAllText(Path.Combine(UserMsp, "signcerts", "User1@org1.example.com-cert.pem")));

    public static EcdsaSigner User1Signer() => EcdsaSigner.FromPem(File.ReadAllText(Path.Combine(UserMsp, "keystore", "priv_sk")));

    private static string Locate()
    {
        var root = CashTransfer.Testing.NodeCounterparts.RepositoryRoot.Path;
        var tried = new List<string>();
        for (var up = Directory.GetParent(root); up is not null && tried.Count < 2; up = up.Parent)
        {
            var candidate = Path.Combine(up.FullName, "shared", "vectors");
            if (Directory.Exists(Path.Combine(candidate, "blocks"))) return candidate;
            tried.Add(candidate);
        }
        throw new InvalidOperationException("The Fabric test vectors are missing: expected them at " + string.Join(" or ", tried));
    }
}
