namespace Fabric.Network.Ledger;

/// <summary>A state version as Fabric records it in read sets: the block and transaction that last wrote the key.</summary>
public readonly record struct Version(ulong BlockNum, ulong TxNum) : IComparable<Version>
{
    public int CompareTo(Version other) =>
        BlockNum != other.BlockNum ? BlockNum.CompareTo(other.BlockNum) : TxNum.CompareTo(other.TxNum);

    public Kvrwset.Version ToProto() => new() { BlockNum = BlockNum, TxNum = TxNum };

    public static Version? FromProto(Kvrwset.Version? version) =>
        version is null ? null : new Version(version.BlockNum, version.TxNum);
}
