using Fabric.Shim.Contracts;
using Fabric.Shim.Tests.Support;

namespace Fabric.Shim.Tests.Unit;

public sealed class ClientIdentityCacheTests
{
    private static byte[] Creator(string mspId, string commonName, string? attributesJson = null) =>
        TestProposals.Creator(mspId, TestProposals.Certificate($"C=US, O=example.com, OU=client, CN={commonName}", attributesJson));

    [Fact]
    public void Each_creator_gets_its_own_identity_and_a_repeat_gets_the_same_one()
    {
        var cache = new ClientIdentityCache();
        var alice = Creator("WFPMSP", "alice", """{"attrs":{"role":"operator"}}""");
        var bob = Creator("UNHCRMSP", "bob");

        var first = cache.Get(alice);
        Assert.Equal("WFPMSP", first.MspId);
        Assert.Equal("operator", first.GetAttributeValue("role"));
        Assert.Same(first, cache.Get(alice));
        var other = cache.Get(bob);
        Assert.Equal("UNHCRMSP", other.MspId);
        Assert.Contains("CN=bob", other.Id);
        Assert.Null(other.GetAttributeValue("role"));
    }

    [Fact]
    public void A_full_cache_starts_afresh_and_still_answers_every_creator()
    {
        var cache = new ClientIdentityCache(capacity: 2);
        var creators = Enumerable.Range(0, 5).Select(i => Creator("WFPMSP", $"user{i}")).ToList();
        for (var i = 0; i < creators.Count; i++)
            Assert.Contains($"CN=user{i}", cache.Get(creators[i]).Id);
        Assert.Contains("CN=user0", cache.Get(creators[0]).Id);
        Assert.Contains("CN=user4", cache.Get(creators[4]).Id);
    }

    [Fact]
    public void An_unreadable_creator_is_refused_every_time()
    {
        var cache = new ClientIdentityCache();
        Assert.ThrowsAny<FormatException>(() => cache.Get([1, 2, 3]));
        Assert.ThrowsAny<FormatException>(() => cache.Get([1, 2, 3]));
    }
}
