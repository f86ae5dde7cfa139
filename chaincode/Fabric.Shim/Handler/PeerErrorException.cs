namespace Fabric.Shim.Handler;

/// <summary>
/// The peer answered a stub request with an ERROR message (for example a rich query on a LevelDB peer).
/// The message is the peer's text unchanged, so that a contract that lets it escape reports exactly what the
/// peer said, as Fabric's own shims do.
/// </summary>
public sealed class PeerErrorException : Exception
{
    public PeerErrorException(string message) : base(message)
    {
    }
}
