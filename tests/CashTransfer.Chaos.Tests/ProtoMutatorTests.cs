using CashTransfer.Chaos.Fuzz;

namespace CashTransfer.Chaos.Tests;

public class ProtoMutatorTests
{
    // field 1 (varint 150), field 2 (bytes "hi"), field 3 (nested: field 1 = "x")
    private static readonly byte[] Message = [0x08, 0x96, 0x01, 0x12, 0x02, (byte)'h', (byte)'i', 0x1A, 0x03, 0x0A, 0x01, (byte)'x'];

    [Fact]
    public void Reads_the_top_level_fields_of_a_message()
    {
        var fields = ProtoWire.Fields(Message).ToList();
        Assert.Equal([1, 2, 3], fields.Select(f => f.Number));
        Assert.Equal([0UL, 2UL, 2UL], fields.Select(f => f.WireType));
        Assert.Equal("hi"u8.ToArray(), fields[1].Value.ToArray());
    }

    [Fact]
    public void Replacing_a_field_re_encodes_its_length()
    {
        var field = ProtoWire.Fields(Message).Single(f => f.Number == 2);
        var replaced = ProtoWire.Replace(Message, field, new byte[300]);
        var again = ProtoWire.Fields(replaced).Single(f => f.Number == 2);
        Assert.Equal(300, again.Value.Length);
        Assert.Equal(3, ProtoWire.Fields(replaced).Count());
    }

    [Fact]
    public void Every_mutation_kind_changes_the_message_and_the_same_seed_repeats_the_run()
    {
        var first = new ProtoMutator(new Random(7));
        var second = new ProtoMutator(new Random(7));
        var kinds = new HashSet<string>();
        for (var i = 0; i < 2000; i++)
        {
            var (bytes, kind) = first.Mutate(Message);
            var (repeat, _) = second.Mutate(Message);
            Assert.Equal(bytes, repeat);
            kinds.Add(kind);
        }
        Assert.Equal(ProtoMutator.Kinds.Order(), kinds.Order());
    }

    [Fact]
    public void A_corrupted_length_field_no_longer_parses_as_the_original()
    {
        var mutator = new ProtoMutator(new Random(3));
        var changed = 0;
        for (var i = 0; i < 200; i++)
        {
            var (bytes, kind) = mutator.Mutate(Message);
            if (!bytes.AsSpan().SequenceEqual(Message)) changed++;
        }
        Assert.True(changed > 180, $"only {changed} of 200 mutations changed the message");
    }
}
