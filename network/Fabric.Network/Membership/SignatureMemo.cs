using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Fabric.Network.Membership;

/// <summary>
/// The outcome of each signature this network has checked recently. In Fabric every node checks in its own process:
/// both endorsers check the same proposal signature, the orderer and then the committer check the same envelope
/// signature. The embedded network's nodes share one process, so the second check of the same signer, message and
/// signature takes the first one's answer (an ECDSA check is a pure function of the three) instead of computing it
/// again. Two checks of the same signature at the same moment (two endorsers) wait for one computation. A different
/// signature, message or signer is a different entry, so a forgery is always checked. Bounded: two generations of
/// at most <see cref="DefaultGenerationSize"/> entries; the older one is dropped when the newer fills.
/// </summary>
public sealed class SignatureMemo(int generationSize = SignatureMemo.DefaultGenerationSize)
{
    /// <summary>About two seconds of a busy network's signatures; a repeated check comes within milliseconds.</summary>
    public const int DefaultGenerationSize = 16_384;

    private readonly object _turnover = new();
    private Generation _current = new();
    private Generation _previous = new();

    private long _reused;

    /// <summary>How many checks were answered from the memo.</summary>
    internal long ReusedChecks => Interlocked.Read(ref _reused);

    public bool Verify(ValidatedIdentity signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var key = Digest.Of(signer.SerializedIdentity, message, signature);
        var current = _current;
        if (current.Entries.TryGetValue(key, out var known) || _previous.Entries.TryGetValue(key, out known)) return Reuse(known);
        var mine = new Outcome();
        var entry = current.Entries.GetOrAdd(key, mine);
        if (!ReferenceEquals(entry, mine)) return Reuse(entry);
        bool valid;
        try
        {
            valid = signer.Identity.Verify(message, signature);
        }
        catch (Exception e)
        {
            // Nothing is remembered of a failed computation: a waiting check learns it failed, a later one computes again.
            current.Entries.TryRemove(new KeyValuePair<Digest, Outcome>(key, mine));
            mine.Fail(e);
            throw;
        }
        mine.Set(valid);
        // Counted apart: ConcurrentDictionary.Count takes every lock of the dictionary, on each computed check.
        if (Interlocked.Increment(ref current.Added) > generationSize) Turn(current);
        return valid;
    }

    private bool Reuse(Outcome outcome)
    {
        Interlocked.Increment(ref _reused);
        return outcome.Result;
    }

    private void Turn(Generation full)
    {
        lock (_turnover)
        {
            if (!ReferenceEquals(_current, full)) return;
            _previous = full;
            _current = new Generation();
        }
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<Digest, Outcome> Entries = new();
        public int Added;
    }

    /// <summary>SHA-256 over the signer, the message and the signature, each with its length.</summary>
    private readonly record struct Digest(UInt128 High, UInt128 Low)
    {
        public static Digest Of(ReadOnlySpan<byte> signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Append(hash, signer);
            Append(hash, message);
            Append(hash, signature);
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return new Digest(BinaryPrimitives.ReadUInt128BigEndian(digest), BinaryPrimitives.ReadUInt128BigEndian(digest[16..]));
        }

        private static void Append(IncrementalHash hash, ReadOnlySpan<byte> part)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }
    }

    /// <summary>One check's answer, which a concurrent check of the same signature waits for.</summary>
    private sealed class Outcome
    {
        private readonly TaskCompletionSource<bool> _answer = new(); // waited on synchronously: no continuations

        public bool Result => _answer.Task.GetAwaiter().GetResult();
        public void Set(bool valid) => _answer.SetResult(valid);
        public void Fail(Exception e) => _answer.SetException(e);
    }
}
