using System.Formats.Asn1;
using System.Numerics;
using Common;
using Fabric.Protocol.Identity;
using Fabric.Protocol.Ledger;
using Google.Protobuf;
using Protos;

namespace CashTransfer.Audit.Ledger.Tests;

/// <summary>Ways to tamper with a real block, each as an attacker could (only User1's key is available to forge with).</summary>
internal static class Tampering
{
    private static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    public static Block FlipDataByte(Block block, int transaction, int offset)
    {
        var copy = block.Clone();
        var bytes = copy.Data.Data[transaction].ToByteArray();
        bytes[offset] ^= 0x01;
        copy.Data.Data[transaction] = ByteString.CopyFrom(bytes);
        return copy;
    }

    public static Block ChangePreviousHash(Block block)
    {
        var copy = block.Clone();
        var hash = copy.Header.PreviousHash.ToByteArray();
        hash[0] ^= 0xff;
        copy.Header.PreviousHash = ByteString.CopyFrom(hash);
        return copy;
    }

    public static Block SetValidationFlag(Block block, int transaction, TxValidationCode code)
    {
        var copy = block.Clone();
        var flags = copy.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter].ToByteArray();
        flags[transaction] = (byte)code;
        copy.Metadata.Metadata[(int)BlockMetadataIndex.TransactionsFilter] = ByteString.CopyFrom(flags);
        return copy;
    }

    /// <summary>Replaces the orderer's signature by a valid signature of <paramref name="signer"/> over the same bytes.</summary>
    public static Block SignAs(Block block, X509Identity identity, ISigner signer)
    {
        var copy = block.Clone();
        var metadata = Metadata.Parser.ParseFrom(copy.Metadata.Metadata[(int)BlockMetadataIndex.Signatures]);
        var header = new SignatureHeader { Creator = ByteString.CopyFrom(identity.ToSerializedIdentity()), Nonce = ByteString.CopyFrom(new byte[24]) }.ToByteString();
        var signature = signer.Sign(BlockSignatures.SignedBytes(metadata.Value, header, copy.Header));
        metadata.Signatures.Clear();
        metadata.Signatures.Add(new MetadataSignature { SignatureHeader = header, Signature = ByteString.CopyFrom(signature) });
        copy.Metadata.Metadata[(int)BlockMetadataIndex.Signatures] = metadata.ToByteString();
        return copy;
    }

    /// <summary>
    /// The creator (User1, whose key we hold) swaps one endorsement's signature for one it made itself over the same
    /// bytes, then signs the envelope again so that the creator signature stays valid.
    /// </summary>
    public static Block ForgeEndorsement(Block block, int transaction, int endorsement, ISigner creatorSigner)
    {
        var copy = block.Clone();
        var envelope = Envelope.Parser.ParseFrom(copy.Data.Data[transaction]);
        var payload = Payload.Parser.ParseFrom(envelope.Payload);
        var tx = Transaction.Parser.ParseFrom(payload.Data);
        var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(tx.Actions[0].Payload);
        var target = actionPayload.Action.Endorsements[endorsement];
        var forged = creatorSigner.Sign([.. actionPayload.Action.ProposalResponsePayload.Span, .. target.Endorser.Span]);
        target.Signature = ByteString.CopyFrom(forged);
        tx.Actions[0].Payload = actionPayload.ToByteString();
        payload.Data = tx.ToByteString();
        envelope.Payload = payload.ToByteString();
        envelope.Signature = ByteString.CopyFrom(creatorSigner.Sign(envelope.Payload.Span));
        copy.Data.Data[transaction] = envelope.ToByteString();
        return copy;
    }

    /// <summary>Turns the creator's signature (r, s) into (r, n - s): still valid ECDSA, but high-S, which Fabric refuses.</summary>
    public static Block MakeCreatorSignatureHighS(Block block, int transaction)
    {
        var copy = block.Clone();
        var envelope = Envelope.Parser.ParseFrom(copy.Data.Data[transaction]);
        var reader = new AsnReader(envelope.Signature.ToByteArray(), AsnEncodingRules.DER).ReadSequence();
        var r = reader.ReadInteger();
        var s = reader.ReadInteger();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(P256Order - s);
        }
        envelope.Signature = ByteString.CopyFrom(writer.Encode());
        copy.Data.Data[transaction] = envelope.ToByteString();
        return copy;
    }
}
