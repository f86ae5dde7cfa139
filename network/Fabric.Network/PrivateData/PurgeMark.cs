using Google.Protobuf;
using Kvrwset;

namespace Fabric.Network.PrivateData;

/// <summary>
/// KVWriteHash.is_purge (field 4, Fabric 2.5) is newer than the .proto files we generate from; protobuf keeps
/// it as an unknown field, so it is written and read here by its field number.
/// </summary>
public static class PurgeMark
{
    private const uint IsPurgeTag = (4 << 3) | 0; // field 4, varint

    public static KVWriteHash Mark(KVWriteHash write)
    {
        var bytes = write.ToByteArray();
        return KVWriteHash.Parser.ParseFrom([.. bytes, (byte)IsPurgeTag, 1]);
    }

    public static bool IsPurge(KVWriteHash write)
    {
        var input = new CodedInputStream(write.ToByteArray());
        bool purge = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == IsPurgeTag) purge = input.ReadBool();
            else input.SkipLastField();
        }
        return purge;
    }
}
