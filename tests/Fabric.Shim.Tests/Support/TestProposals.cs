using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Common;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Protos;

namespace Fabric.Shim.Tests.Support;

/// <summary>Builds signed proposals for a throwaway X.509 identity, with the fields the stub reads.</summary>
public static class TestProposals
{
    /// <summary>A self-signed P-256 certificate, optionally carrying Fabric CA attributes (extension 1.2.3.4.5.6.7.8.1).</summary>
    public static X509Certificate2 Certificate(string subject = "C=US, O=org1.example.com, OU=client, CN=User1@org1.example.com", string? attributesJson = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (attributesJson is not null)
            request.CertificateExtensions.Add(new X509Extension("1.2.3.4.5.6.7.8.1", Encoding.UTF8.GetBytes(attributesJson), critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public static byte[] Creator(string mspId, X509Certificate2 certificate) => new Msp.SerializedIdentity
    {
        Mspid = mspId,
        IdBytes = ByteString.CopyFromUtf8(certificate.ExportCertificatePem() + "\n"),
    }.ToByteArray();

    public static SignedProposal Create(byte[] creator, byte[] nonce, ulong epoch = 0, DateTimeOffset? timestamp = null, IDictionary<string, byte[]>? transient = null)
    {
        var channelHeader = new ChannelHeader
        {
            Type = (int)HeaderType.EndorserTransaction,
            ChannelId = "mychannel",
            TxId = "tx",
            Epoch = epoch,
            Timestamp = Timestamp.FromDateTimeOffset(timestamp ?? DateTimeOffset.UnixEpoch.AddSeconds(1_795_263_822).AddMilliseconds(804)),
        };
        var header = new Header
        {
            ChannelHeader = channelHeader.ToByteString(),
            SignatureHeader = new SignatureHeader { Creator = ByteString.CopyFrom(creator), Nonce = ByteString.CopyFrom(nonce) }.ToByteString(),
        };
        var payload = new ChaincodeProposalPayload { Input = ByteString.CopyFromUtf8("input") };
        foreach (var (key, value) in transient ?? new Dictionary<string, byte[]>())
            payload.TransientMap.Add(key, ByteString.CopyFrom(value));
        var proposal = new Proposal { Header = header.ToByteString(), Payload = payload.ToByteString() };
        return new SignedProposal { ProposalBytes = proposal.ToByteString(), Signature = ByteString.CopyFromUtf8("not checked by the shim") };
    }

    /// <summary>A proposal from a fresh identity of Org1MSP.</summary>
    public static SignedProposal Simple() => Create(Creator("Org1MSP", Certificate()), RandomNumberGenerator.GetBytes(24));
}
