using Google.Protobuf;
using Fabric.Protocol.Ledger;

namespace CashTransfer.Audit.Ledger.Tests;

/// <summary>Tampered copies of real Fabric blocks: each tampering gives the finding that names it, at the right block and transaction.</summary>
public sealed class TamperedBlockTests
{
    [Fact]
    public void A_flipped_byte_in_a_transaction_breaks_the_data_hash()
    {
        var original = Vectors.Block(24);
        var tampered = Tampering.FlipDataByte(original, 0, original.Data.Data[0].Length / 2);

        var findings = VerifyChainWith(24, tampered);

        var finding = Assert.Single(findings, f => f.Kind == FindingKind.DataHashMismatch);
        Assert.Equal(24ul, finding.BlockNumber);
        Assert.Equal(Convert.ToHexStringLower(original.Header.DataHash.Span), finding.Expected);
        Assert.Equal(Convert.ToHexStringLower(BlockDataHash.Compute(tampered.Data)), finding.Found);
        Assert.All(findings, f => Assert.Equal(24ul, f.BlockNumber));
    }

    [Fact]
    public void A_changed_previous_hash_breaks_the_chain_and_the_orderer_signature()
    {
        var tampered = Tampering.ChangePreviousHash(Vectors.Block(25));

        var findings = VerifyChainWith(25, tampered);

        var chain = Assert.Single(findings, f => f.Kind == FindingKind.PreviousHashMismatch && f.BlockNumber == 25);
        Assert.Equal(25ul, chain.BlockNumber);
        Assert.Equal(Convert.ToHexStringLower(BlockHeaderHash.Compute(Vectors.Block(24).Header)), chain.Expected);
        Assert.Equal(Convert.ToHexStringLower(tampered.Header.PreviousHash.Span), chain.Found);
        Assert.Contains(findings, f => f.Kind == FindingKind.OrdererSignatureInvalid && f.BlockNumber == 25);
        Assert.Contains(findings, f => f.Kind == FindingKind.BlockValidationPolicyUnsatisfied && f.BlockNumber == 25);
        Assert.DoesNotContain(findings, f => f.Kind == FindingKind.DataHashMismatch);
        // Block 26 names the real block 25, not the tampered one.
        Assert.Contains(findings, f => f.Kind == FindingKind.PreviousHashMismatch && f.BlockNumber == 26);
    }

    [Fact]
    public void A_block_signed_by_a_client_instead_of_an_orderer_fails_BlockValidation()
    {
        using var signer = Vectors.User1Signer();
        var tampered = Tampering.SignAs(Vectors.Block(26), Vectors.User1(), signer);

        var findings = VerifyChainWith(26, tampered);

        // The signature itself is good; the signer is simply not allowed to sign blocks.
        var finding = Assert.Single(findings);
        Assert.Equal(FindingKind.BlockValidationPolicyUnsatisfied, finding.Kind);
        Assert.Equal(26ul, finding.BlockNumber);
        Assert.Contains("/Channel/Orderer/BlockValidation", finding.Expected);
        Assert.Contains("Org1MSP", finding.Found);
    }

    [Fact]
    public void A_forged_endorsement_fails_its_signature_and_the_endorsement_policy()
    {
        using var signer = Vectors.User1Signer();
        var tampered = Tampering.ForgeEndorsement(Vectors.Block(27), 0, 1, signer);
        var original = BlockTransactions.Read(Vectors.Block(27))[0];
        var txId = original.TransactionId;
        var endorserMsps = original.Envelope.Actions[0].Endorsements.Select(e => Fabric.Protocol.Identity.X509Identity.FromSerializedIdentity(e.Endorser.Span).MspId).ToList();

        var findings = VerifyChainWith(27, tampered);

        var forged = Assert.Single(findings, f => f.Kind == FindingKind.EndorsementSignatureInvalid);
        Assert.Equal(txId, forged.TransactionId);
        Assert.Equal("a signature that does not verify", forged.Found);
        Assert.Contains(endorserMsps[1], forged.Detail);
        var policy = Assert.Single(findings, f => f.Kind == FindingKind.EndorsementPolicyUnsatisfied);
        Assert.Contains("/Channel/Application/Endorsement", policy.Expected);
        Assert.Equal($"{endorserMsps[0]}.peer", policy.Found);     // one agency of two is no majority
        var flag = Assert.Single(findings, f => f.Kind == FindingKind.ValidationFlagInconsistent);
        Assert.Equal(("EndorsementPolicyFailure", "VALID"), (flag.Expected, flag.Found));
        Assert.Contains(findings, f => f.Kind == FindingKind.DataHashMismatch);
        Assert.DoesNotContain(findings, f => f.Kind == FindingKind.CreatorSignatureInvalid);
    }

    [Fact]
    public void A_high_S_creator_signature_is_refused_as_Fabric_refuses_it()
    {
        var tampered = Tampering.MakeCreatorSignatureHighS(Vectors.Block(28), 0);

        var findings = VerifyChainWith(28, tampered);

        var creator = Assert.Single(findings, f => f.Kind == FindingKind.CreatorSignatureInvalid);
        Assert.Contains("high-S", creator.Found);
        Assert.Equal(BlockTransactions.Read(Vectors.Block(28))[0].TransactionId, creator.TransactionId);
        var flag = Assert.Single(findings, f => f.Kind == FindingKind.ValidationFlagInconsistent);
        Assert.Equal(("BadCreatorSignature", "VALID"), (flag.Expected, flag.Found));
    }

    [Fact]
    public void A_transaction_whose_every_write_has_a_key_level_policy_needs_only_those_policies()
    {
        // Block 26's transaction (two writes), with its second endorsement forged: one organisation of two is no majority,
        // but when each key it writes answers to a key-level policy that organisation satisfies, Fabric's validator checks
        // only those policies (as for an upload's release, which writes only the budget and its reservation's parts).
        // Block 27's writes nothing, so it still needs the chaincode's policy (A_forged_endorsement_fails_...).
        using var signer = Vectors.User1Signer();
        var tampered = Tampering.ForgeEndorsement(Vectors.Block(26), 0, 1, signer);
        var tx = BlockTransactions.Read(Vectors.Block(26))[0].Envelope;
        Assert.Equal(2, tx.Actions[0].Namespaces.Sum(n => n.Set.Writes.Count));
        var owner = Fabric.Protocol.Identity.X509Identity.FromSerializedIdentity(tx.Actions[0].Endorsements[0].Endorser.Span).MspId;

        List<LedgerFinding> Verify(bool keyLevelPolicies)
        {
            var verifier = RealBlockVerificationTests.StartedAfterGenesis();
            foreach (var n in new ulong[] { 23, 24, 25 }) verifier.Verify(Vectors.Block(n));
            foreach (var set in tx.Actions[0].Namespaces.Where(n => keyLevelPolicies && n.Set.Writes.Count > 0))
            {
                var policies = new Kvrwset.KVRWSet();
                foreach (var write in set.Set.Writes)
                    policies.MetadataWrites.Add(new Kvrwset.KVMetadataWrite { Key = write.Key, Entries = { new Kvrwset.KVMetadataEntry { Name = "VALIDATION_PARAMETER", Value = PeerOf(owner).ToByteString() } } });
                verifier.State.Apply(set.Namespace, policies, 25, 0, "policies");
            }
            return verifier.Verify(tampered).ToList();
        }

        var onTheChaincodePolicy = Verify(keyLevelPolicies: false);
        Assert.Contains(onTheChaincodePolicy, f => f.Kind == FindingKind.EndorsementPolicyUnsatisfied);
        Assert.Contains(onTheChaincodePolicy, f => f.Kind == FindingKind.ValidationFlagInconsistent);
        var onKeyLevelPolicies = Verify(keyLevelPolicies: true);
        Assert.DoesNotContain(onKeyLevelPolicies, f => f.Kind is FindingKind.EndorsementPolicyUnsatisfied or FindingKind.KeyLevelPolicyUnsatisfied or FindingKind.ValidationFlagInconsistent);
    }

    private static Common.SignaturePolicyEnvelope PeerOf(string mspId) => new()
    {
        Rule = new Common.SignaturePolicy { SignedBy = 0 },
        Identities = { new Common.MSPPrincipal { PrincipalClassification = Common.MSPPrincipal.Types.Classification.Role,
            Principal = new Common.MSPRole { MspIdentifier = mspId, Role = Common.MSPRole.Types.MSPRoleType.Peer }.ToByteString() } },
    };

    [Fact]
    public void A_missing_block_is_a_gap_in_the_chain()
    {
        var verifier = RealBlockVerificationTests.StartedAfterGenesis();
        verifier.Verify(Vectors.Block(23));

        var findings = verifier.Verify(Vectors.Block(25));

        Assert.Contains(findings, f => f.Kind == FindingKind.BlockNumberGap && f.Expected == "block 24" && f.Found == "block 25");
        Assert.Contains(findings, f => f.Kind == FindingKind.PreviousHashMismatch);
    }

    /// <summary>Verifies blocks 23..31 with block <paramref name="number"/> replaced; returns every finding.</summary>
    private static List<LedgerFinding> VerifyChainWith(ulong number, Common.Block replacement)
    {
        var verifier = RealBlockVerificationTests.StartedAfterGenesis();
        return Vectors.DataBlocks.SelectMany(n => verifier.Verify(n == number ? replacement : Vectors.Block(n))).ToList();
    }
}
