using System.Security.Cryptography;
using System.Text;
using Fabric.Client;
using Google.Protobuf;
using Fabric.Network.Blocks;
using Fabric.Network.Conformance.Tests.Support;
using Fabric.Network.PrivateData;
using Fabric.Protocol.Transactions;
using Kvrwset;
using Protos;

namespace Fabric.Network.Conformance.Tests;

/// <summary>
/// Private data collections on the embedded network, with a contract written with our shim and the same contract
/// written with the official Node contract API (CCaaS), driven through Fabric.Client. Collection "shared" has
/// members WFP and UN Women; UNHCR's peer is outside it. Values come in through the transient map.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed partial class PrivateDataTests(ConformanceNetwork fixture)
{
    private const int Wfp = 0, UnWomen = 1, Unhcr = 2;
    private const string Shared = ConformanceNetwork.SharedCollection;

    public static TheoryData<string> Chaincodes => new() { ConformanceNetwork.CSharpChaincode, ConformanceNetwork.NodeChaincode };

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Member_peers_read_the_value_a_non_member_peer_cannot_and_every_peer_has_its_hash(string chaincode)
    {
        var key = $"member-{chaincode}";
        var value = $"secret-{Guid.NewGuid():N}";
        var status = await PutAsync(chaincode, Shared, key, value);
        Assert.Equal(TxValidationCode.Valid, status.Code);

        Assert.Equal(value, await EvaluateAsync(Wfp, chaincode, "GetPrivate", null, Shared, key));
        Assert.Equal(value, await EvaluateAsync(UnWomen, chaincode, "GetPrivate", null, Shared, key));
        // A member client asking UNHCR's peer: the peer has the hash but no copy of the data.
        var refused = await EvaluateFailureAsync(Unhcr, chaincode, "GetPrivate", "WFPMSP", Shared, key);
        Assert.Contains("private data matching public hash version is not available", refused);
        Assert.Contains($"Public hash version = {{BlockNum: {status.BlockNumber}, TxNum: 0}}, Private data version = <nil>", refused);
        Assert.DoesNotContain(value, refused);

        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        Assert.Equal(expectedHash, await EvaluateAsync(Unhcr, chaincode, "GetPrivateHash", null, Shared, key));
        Assert.Equal(expectedHash, await EvaluateAsync(Wfp, chaincode, "GetPrivateHash", null, Shared, key));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task The_block_carries_only_SHA256_hashes_of_the_private_key_and_value(string chaincode)
    {
        var key = $"hashed-{chaincode}";
        var value = $"never-on-the-ledger-{Guid.NewGuid():N}";
        var status = await PutAsync(chaincode, Shared, key, value);
        Assert.Equal(TxValidationCode.Valid, status.Code);

        var block = fixture.Network.Ledger.GetBlock(status.BlockNumber);
        Assert.False(Contains(block.ToByteArray(), Encoding.UTF8.GetBytes(value)), "the private value must not appear anywhere in the block");
        var action = Transaction(block, status.TransactionId).SingleAction()!;
        var ns = action.Namespaces.Single(n => n.Namespace == chaincode);
        Assert.Empty(ns.Set.Writes);
        var collection = Assert.Single(ns.Raw.CollectionHashedRwset);
        Assert.Equal(Shared, collection.CollectionName);
        var write = Assert.Single(HashedRWSet.Parser.ParseFrom(collection.HashedRwset).HashedWrites);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), write.KeyHash.ToByteArray());
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(value)), write.ValueHash.ToByteArray());
        Assert.False(write.IsDelete);
        Assert.Equal(32, collection.PvtRwsetHash.Length);
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Endorsement_hands_the_private_data_to_member_peers_only(string chaincode)
    {
        var (gateway, resources) = fixture.ClientGateway(Wfp);
        using var _ = resources;
        var proposal = Contract(gateway, chaincode).NewProposal("PrivateDataContract:PutPrivate",
            new ProposalOptions().AddArguments(Shared, $"handed-{chaincode}").AddTransient("value", "endorsed-not-submitted"));
        var endorsed = await proposal.EndorseAsync();

        var distributor = fixture.Network.PrivateData;
        Assert.Contains((chaincode, Shared), distributor.Held("WFPMSP", endorsed.TransactionId));
        Assert.Contains((chaincode, Shared), distributor.Held("UNWomenMSP", endorsed.TransactionId));
        Assert.Empty(distributor.Held("UNHCRMSP", endorsed.TransactionId));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Member_only_read_and_write_refuse_a_client_of_another_organisation(string chaincode)
    {
        var key = $"acl-{chaincode}";
        Assert.Equal(TxValidationCode.Valid, (await PutAsync(chaincode, Shared, key, "v")).Code);

        var read = await EvaluateFailureAsync(Unhcr, chaincode, "GetPrivate", "UNHCRMSP", Shared, key);
        Assert.Contains($"tx creator does not have read access permission on privatedata in chaincodeName:{chaincode} collectionName: {Shared}", read);

        var (gateway, resources) = fixture.ClientGateway(Wfp, "UNHCRMSP");
        using var _ = resources;
        var write = await Assert.ThrowsAsync<EndorseException>(() => Contract(gateway, chaincode).SubmitAsync("PrivateDataContract:PutPrivate",
            new ProposalOptions().AddArguments(Shared, key).AddTransient("value", "intruder")));
        Assert.Contains($"tx creator does not have write access permission on privatedata in chaincodeName:{chaincode} collectionName: {Shared}", Describe(write));
        Assert.Equal("v", await EvaluateAsync(Wfp, chaincode, "GetPrivate", null, Shared, key));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Concurrent_private_read_modify_writes_end_valid_and_MVCC_conflict(string chaincode)
    {
        var key = $"mvcc-{chaincode}";
        var (gateway, resources) = fixture.ClientGateway(Wfp);
        using var _ = resources;
        var contract = Contract(gateway, chaincode);
        var first = await contract.NewProposal("PrivateDataContract:IncrementPrivate", new ProposalOptions().AddArguments(Shared, key)).EndorseAsync();
        var second = await contract.NewProposal("PrivateDataContract:IncrementPrivate", new ProposalOptions().AddArguments(Shared, key)).EndorseAsync();
        var submitted = await Task.WhenAll(first.SubmitAsync(), second.SubmitAsync());
        var codes = (await Task.WhenAll(submitted.Select(s => s.GetStatusAsync()))).Select(s => s.Code).ToList();

        Assert.Contains(TxValidationCode.Valid, codes);
        Assert.Contains(TxValidationCode.MvccReadConflict, codes);
        Assert.Equal("1", await EvaluateAsync(UnWomen, chaincode, "GetPrivate", null, Shared, key));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Purge_removes_the_value_from_every_peer_and_the_hash_from_the_state(string chaincode)
    {
        var key = $"purge-{chaincode}";
        Assert.Equal(TxValidationCode.Valid, (await PutAsync(chaincode, Shared, key, "to be purged")).Code);
        var status = await SubmitAsync(Wfp, chaincode, "PrivateDataContract:PurgePrivate", new ProposalOptions().AddArguments(Shared, key));
        Assert.Equal(TxValidationCode.Valid, status.Code);

        Assert.Equal("", await EvaluateAsync(Wfp, chaincode, "GetPrivate", null, Shared, key));
        Assert.Equal("", await EvaluateAsync(Unhcr, chaincode, "GetPrivateHash", null, Shared, key));
        foreach (var msp in new[] { "WFPMSP", "UNWomenMSP" })
            Assert.Null(fixture.Network.Ledger.State.Get(PrivateDataKeys.PrivateNamespace(chaincode, Shared, msp), key));
        var ns = Transaction(fixture.Network.Ledger.GetBlock(status.BlockNumber), status.TransactionId).SingleAction()!.Namespaces.Single(n => n.Namespace == chaincode);
        var write = Assert.Single(HashedRWSet.Parser.ParseFrom(ns.Raw.CollectionHashedRwset.Single().HashedRwset).HashedWrites);
        Assert.True(write.IsDelete);
        Assert.True(PurgeMark.IsPurge(write), "a purge is marked is_purge (KVWriteHash field 4)");
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Data_expires_when_block_to_live_has_passed(string chaincode)
    {
        var key = $"btl-{chaincode}";
        var collection = ConformanceNetwork.ShortLivedCollection; // blockToLive 2, handed to no other peer at endorsement
        var written = await PutAsync(chaincode, collection, key, "short-lived");
        Assert.Equal(TxValidationCode.Valid, written.Code);

        await CommitBlocksUntilHeightAsync(chaincode, written.BlockNumber + 3); // blocks B+1 and B+2 committed
        Assert.Equal("short-lived", await EvaluateAsync(UnWomen, chaincode, "GetPrivate", null, collection, key)); // fetched at commit
        Assert.NotEqual("", await EvaluateAsync(Unhcr, chaincode, "GetPrivateHash", null, collection, key));

        await CommitBlocksUntilHeightAsync(chaincode, written.BlockNumber + 4); // block B+3 committed: expired
        Assert.Equal("", await EvaluateAsync(Wfp, chaincode, "GetPrivate", null, collection, key));
        Assert.Equal("", await EvaluateAsync(UnWomen, chaincode, "GetPrivate", null, collection, key));
        Assert.Equal("", await EvaluateAsync(Unhcr, chaincode, "GetPrivateHash", null, collection, key));
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task A_collection_endorsement_policy_replaces_the_chaincode_policy_for_its_writes(string chaincode)
    {
        var status = await PutAsync(chaincode, ConformanceNetwork.WfpCollection, $"wfp-{chaincode}", "wfp only");
        Assert.Equal(TxValidationCode.Valid, status.Code);
        var endorsers = Transaction(fixture.Network.Ledger.GetBlock(status.BlockNumber), status.TransactionId).SingleAction()!.Endorsements
            .Select(e => Msp.SerializedIdentity.Parser.ParseFrom(e.Endorser).Mspid).ToList();
        Assert.Equal(["WFPMSP"], endorsers); // the chaincode's MAJORITY would need two
    }

    [Theory, MemberData(nameof(Chaincodes))]
    public async Task Endorsement_fails_when_required_peer_count_cannot_be_met(string chaincode)
    {
        var (gateway, resources) = fixture.ClientGateway(Wfp);
        using var _ = resources;
        var e = await Assert.ThrowsAsync<EndorseException>(() => Contract(gateway, chaincode).SubmitAsync("PrivateDataContract:PutPrivate",
            new ProposalOptions().AddArguments(ConformanceNetwork.UnreachableCollection, "k").AddTransient("value", "v")));
        Assert.Contains("required to disseminate to at least 1 peers, but know of only 0 eligible peers", Describe(e));
    }

    private async Task<CommitStatus> PutAsync(string chaincode, string collection, string key, string value) =>
        await SubmitAsync(Wfp, chaincode, "PrivateDataContract:PutPrivate", new ProposalOptions().AddArguments(collection, key).AddTransient("value", value));

    private async Task<CommitStatus> SubmitAsync(int peer, string chaincode, string function, ProposalOptions options)
    {
        var (gateway, resources) = fixture.ClientGateway(peer);
        using var _ = resources;
        var submitted = await Contract(gateway, chaincode).SubmitAsync(function, options);
        return await submitted.GetStatusAsync();
    }

    private async Task<string> EvaluateAsync(int peer, string chaincode, string function, string? userMspId, params string[] args)
    {
        var (gateway, resources) = fixture.ClientGateway(peer, userMspId);
        using var _ = resources;
        return Fabric.Client.Contract.AsString(await Contract(gateway, chaincode).EvaluateAsync("PrivateDataContract:" + function, new ProposalOptions().AddArguments(args)));
    }

    private async Task<string> EvaluateFailureAsync(int peer, string chaincode, string function, string? userMspId, params string[] args)
    {
        var e = await Assert.ThrowsAnyAsync<GatewayException>(() => EvaluateAsync(peer, chaincode, function, userMspId, args));
        return Describe(e);
    }

    // Public writes by the default contract, one block each, until the ledger reaches the height.
    private async Task CommitBlocksUntilHeightAsync(string chaincode, ulong height)
    {
        for (int i = 0; fixture.Network.Ledger.Height < height; i++)
        {
            Assert.True(i < 10, "the ledger did not grow");
            var status = await SubmitAsync(Wfp, chaincode, "Put", new ProposalOptions().AddArguments($"filler-{chaincode}", i.ToString()));
            Assert.Equal(TxValidationCode.Valid, status.Code);
        }
    }

    private static Fabric.Client.Contract Contract(Fabric.Client.Gateway gateway, string chaincode) =>
        gateway.GetNetwork("cashtransfer").GetContract(chaincode);

    private static TransactionEnvelope Transaction(Common.Block block, string txId) =>
        block.Data.Data.Select(d => TransactionEnvelope.Parse(d)).Single(t => t.TransactionId == txId);

    private static string Describe(GatewayException e) => e.Message + " " + string.Join(" | ", e.Details.Select(d => d.Message));

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
