namespace CashTransfer.Reconciliation.Sorting;

/// <summary>How a record is written to and read from a sort run on disk (compact binary, not JSON: a run is read once, soon).</summary>
public interface IRecordCodec<T>
{
    void Write(BinaryWriter writer, T record);
    T Read(BinaryReader reader);
}
