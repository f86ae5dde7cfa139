using Fabric.Network.Configuration;
using Google.Protobuf;

namespace Fabric.Network.Ordering;

/// <summary>
/// Fabric's block cutting rule. An envelope larger than PreferredMaxBytes goes alone into its own block
/// (after cutting what is pending); an envelope that would push the pending batch past PreferredMaxBytes
/// cuts the pending batch first; reaching MaxMessageCount cuts. The batch timeout is the caller's: it
/// calls <see cref="Cut"/> when the oldest pending envelope has waited BatchTimeout.
/// </summary>
public sealed class BlockCutter(BatchSettings settings)
{
    private List<ByteString> _pending = new();
    private long _pendingBytes;

    public bool HasPending => _pending.Count > 0;

    /// <summary>Adds an envelope; returns the batches this completes (zero, one or two), in order.</summary>
    public IReadOnlyList<IReadOnlyList<ByteString>> Ordered(ByteString envelope)
    {
        var batches = new List<IReadOnlyList<ByteString>>();
        int size = envelope.Length;
        if (size > settings.PreferredMaxBytes)
        {
            if (HasPending) batches.Add(Cut());
            batches.Add([envelope]);
            return batches;
        }
        if (_pendingBytes + size > settings.PreferredMaxBytes && HasPending) batches.Add(Cut());
        _pending.Add(envelope);
        _pendingBytes += size;
        if (_pending.Count >= settings.MaxMessageCount) batches.Add(Cut());
        return batches;
    }

    /// <summary>Returns the pending envelopes as a batch and starts an empty one.</summary>
    public IReadOnlyList<ByteString> Cut()
    {
        var batch = _pending;
        _pending = new List<ByteString>();
        _pendingBytes = 0;
        return batch;
    }
}
