using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Tests.Transactions;
using Fabric.Protocol.Tests.Vectors;
using Fabric.Ecdsa;

namespace Fabric.Protocol.Tests.Identity;

/// <summary>Fabric rejects high-S signatures even though they are mathematically valid; so must we.</summary>
public class LowSSignatureTests
{
    private static readonly BigInteger Order = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public void The_high_s_twin_of_a_recorded_signature_is_rejected()
    {
        var (proposal, _) = ProposalVectorTests.Load(VectorIndex.ChaincodeMessages.First(m => m.TypeName == "TRANSACTION").Path);
        var message = proposal.Signed.ProposalBytes.Span;
        var lowS = proposal.Signed.Signature.ToByteArray();
        var highS = WithSReplacedByOrderMinusS(lowS);
        using var key = proposal.Creator().Certificate.GetECDsaPublicKey()!;

        Assert.True(key.VerifyData(message, highS, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(EcdsaSignatures.IsLowS(highS));
        Assert.False(proposal.Creator().Verify(message, highS));
        Assert.True(proposal.Creator().Verify(message, lowS));
    }

    internal static byte[] WithSReplacedByOrderMinusS(byte[] der)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var r = sequence.ReadInteger();
        var s = sequence.ReadInteger();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(Order - s);
        }
        return writer.Encode();
    }
}
