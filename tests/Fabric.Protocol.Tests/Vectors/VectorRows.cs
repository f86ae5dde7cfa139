namespace Fabric.Protocol.Tests.Vectors;

/// <summary>
/// Turns vector index entries into [Theory] rows. When the vectors are missing it yields one row that makes
/// the theory fail with <see cref="VectorsFolder"/>'s message, so a missing folder never looks like a pass.
/// </summary>
public static class VectorRows
{
    public const string Missing = "(vectors missing)";

    public static TheoryData<string> Of(Func<IEnumerable<string>> keys)
    {
        var rows = new TheoryData<string>();
        try
        {
            foreach (var key in keys()) rows.Add(key);
        }
        catch (DirectoryNotFoundException)
        {
            rows.Add(Missing);
        }
        return rows;
    }

    /// <summary>Call first in a theory: throws the clear "vectors not found" error for the sentinel row.</summary>
    public static string Require(string key)
    {
        if (key == Missing) _ = VectorsFolder.Root;
        return key;
    }
}
