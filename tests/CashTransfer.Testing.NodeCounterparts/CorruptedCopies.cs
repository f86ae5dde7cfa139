namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>
/// Cut and bit-flipped copies of a message for fuzzing rounds: a third cut at a random length, the rest with one to three
/// bits flipped. The same seed gives the same copies, so a round that fails fails again.
/// </summary>
public static class CorruptedCopies
{
    public static IEnumerable<byte[]> Of(byte[] original, int count, int seed = 20261207)
    {
        var random = new Random(seed);
        for (var round = 0; round < count; round++)
        {
            var copy = (byte[])original.Clone();
            if (round % 3 == 0) copy = copy[..random.Next(copy.Length)];
            else for (var flips = random.Next(1, 4); flips > 0; flips--) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            yield return copy;
        }
    }
}
