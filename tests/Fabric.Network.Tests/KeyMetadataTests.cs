using Fabric.Network.Ledger;
using Google.Protobuf;
using Kvrwset;

namespace Fabric.Network.Tests;

public sealed class KeyMetadataTests
{
    private static KVMetadataEntry Entry(string name, string value) => new() { Name = name, Value = ByteString.CopyFromUtf8(value) };

    [Fact]
    public void Keys_with_the_same_single_entry_share_one_dictionary_and_others_get_their_own()
    {
        // Entries parsed from two transactions: equal content in different objects.
        var first = KeyMetadata.Of([Entry("VALIDATION_PARAMETER", "owner-policy")]);
        var second = KeyMetadata.Of([Entry("VALIDATION_PARAMETER", "owner-policy")]);
        var other = KeyMetadata.Of([Entry("VALIDATION_PARAMETER", "another-policy")]);

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Equal("owner-policy", first["VALIDATION_PARAMETER"].ToStringUtf8());
        Assert.Equal("another-policy", other["VALIDATION_PARAMETER"].ToStringUtf8());
        Assert.IsNotType<Dictionary<string, ByteString>>(first); // shared, so nobody may change it
    }

    [Fact]
    public void Empty_values_remove_their_entries_as_in_Fabric()
    {
        Assert.Same(VersionedValue.NoMetadata, KeyMetadata.Of([Entry("VALIDATION_PARAMETER", "")]));
        var two = KeyMetadata.Of([Entry("a", "1"), Entry("b", ""), Entry("c", "3")]);
        Assert.Equal(["a", "c"], two.Keys.Order());
    }
}
