using Common;
using Fabric.Protocol.Ledger;
using Google.Protobuf;

namespace Fabric.Protocol.Tests.Ledger;

/// <summary>The header's ASN.1 DER encoding at the INTEGER boundaries that the vectors (numbers 0-31) do not reach.</summary>
public class BlockHeaderHashTests
{
    [Theory]
    [InlineData(127UL, "02017f")]
    [InlineData(128UL, "02020080")]
    [InlineData(256UL, "02020100")]
    [InlineData(ulong.MaxValue, "020900ffffffffffffffff")]
    public void Number_is_a_minimal_positive_der_integer(ulong number, string integerHex)
    {
        var header = new BlockHeader { Number = number, PreviousHash = ByteString.CopyFrom(1, 2), DataHash = ByteString.CopyFrom(3) };

        var der = Convert.ToHexStringLower(BlockHeaderHash.Asn1Der(header));

        var body = integerHex + "04020102" + "040103";
        Assert.Equal($"30{body.Length / 2:x2}{body}", der);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(der)), BlockHeaderHash.Compute(header));
    }
}
