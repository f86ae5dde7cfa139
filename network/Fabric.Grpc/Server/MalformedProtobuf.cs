using System.Diagnostics;
using Google.Protobuf;

namespace Fabric.Grpc.Server;

/// <summary>
/// Recognises Google.Protobuf failing on malformed input in a way it does not declare: besides
/// InvalidProtocolBufferException, some truncated inputs with a huge length field make it read past its buffer and
/// throw IndexOutOfRangeException (protocolbuffers/protobuf#26856, open in 3.25 to 3.34). Handlers parse nested bytes
/// from requests in many places; this lets the server answer all of them INVALID_ARGUMENT in one place.
/// </summary>
internal static class MalformedProtobuf
{
    private static readonly System.Reflection.Assembly Protobuf = typeof(IMessage).Assembly;
    private static readonly System.Reflection.Assembly CoreLibrary = typeof(object).Assembly;

    public static bool IsParseFailure(Exception e) =>
        e is InvalidProtocolBufferException ||
        (e is IndexOutOfRangeException or ArgumentOutOfRangeException && ThrownInside(e) == Protobuf);

    /// <summary>The assembly of the first frame outside the core library (whose throw helpers come first).</summary>
    private static System.Reflection.Assembly? ThrownInside(Exception e) =>
        new StackTrace(e, fNeedFileInfo: false).GetFrames()
            .Select(frame => frame.GetMethod()?.Module.Assembly)
            .FirstOrDefault(assembly => assembly is not null && assembly != CoreLibrary);
}
