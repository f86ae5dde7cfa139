using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Fabric.Grpc.Tests.Support;

/// <summary>
/// A bare HTTP/2 (h2c) endpoint on 127.0.0.1 that refuses the first <c>refusals</c> streams it is sent, without
/// processing them, the way a server that is shutting down or overloaded does: a GOAWAY naming a last stream id
/// below the refused one (which also ends the connection), or an RST_STREAM, with the given HTTP/2 error code.
/// Connections after the refusing ones are piped to <c>upstream</c> (a real server), so a client that retries on a
/// fresh connection gets a real answer.
/// </summary>
public sealed class StreamRefusingServer : IAsyncDisposable
{
    /// <summary>The frame by which the server turns a stream away.</summary>
    public enum Refusal { GoAway, RstStream }

    /// <summary>HTTP/2 error codes (RFC 9113 section 7) the tests send.</summary>
    public const uint NoError = 0x0, InternalError = 0x2, RefusedStream = 0x7;

    private const int FrameHeaderLength = 9;
    private const byte Headers = 0x1, RstStream = 0x3, Settings = 0x4, GoAway = 0x7;
    private const byte AckFlag = 0x1;
    private static readonly byte[] ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Refusal _refusal;
    private readonly uint _errorCode;
    private readonly int? _upstreamPort;
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private int _refusalsLeft;
    private int _refused;

    /// <param name="refusal">GOAWAY or RST_STREAM.</param>
    /// <param name="errorCode">The HTTP/2 error code the frame carries.</param>
    /// <param name="refusals">How many streams to refuse in all (each GOAWAY also ends its connection).</param>
    /// <param name="upstreamPort">Where later connections go; null refuses every stream.</param>
    public StreamRefusingServer(Refusal refusal, uint errorCode, int refusals, int? upstreamPort)
    {
        _refusal = refusal;
        _errorCode = errorCode;
        _refusalsLeft = refusals;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Streams refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            lock (_connections)
                _connections.Add(Volatile.Read(ref _refusalsLeft) > 0 || _upstreamPort is null ? RefuseAsync(client) : PipeAsync(client));
        }
    }

    /// <summary>Speaks just enough HTTP/2 to read the client's HEADERS frames and turn their streams away.</summary>
    private async Task RefuseAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var token = _stop.Token;
        try
        {
            var preface = new byte[ClientPreface.Length];
            await stream.ReadExactlyAsync(preface, token);
            await WriteFrameAsync(stream, Settings, 0, 0, [], token);
            var header = new byte[FrameHeaderLength];
            while (true)
            {
                await stream.ReadExactlyAsync(header, token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var (type, flags) = (header[3], header[4]);
                var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fffffff);
                await stream.ReadExactlyAsync(new byte[length], token);
                if (type == Settings && (flags & AckFlag) == 0) await WriteFrameAsync(stream, Settings, AckFlag, 0, [], token);
                if (type != Headers) continue;
                if (Interlocked.Decrement(ref _refusalsLeft) < 0 && _upstreamPort is not null) return;   // cannot serve: let the client move on
                Interlocked.Increment(ref _refused);
                var payload = new byte[8];
                if (_refusal == Refusal.GoAway)
                {
                    // Last processed stream: the one before this (client streams are odd), so this one was never seen.
                    BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)Math.Max(0, streamId - 2));
                    BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), _errorCode);
                    await WriteFrameAsync(stream, GoAway, 0, 0, payload, token);
                    await Task.Delay(200, token);   // let the client read it before the connection ends
                    return;
                }
                BinaryPrimitives.WriteUInt32BigEndian(payload, _errorCode);
                await WriteFrameAsync(stream, RstStream, 0, streamId, payload[..4], token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException or SocketException) { }
    }

    private static async Task WriteFrameAsync(NetworkStream stream, byte type, byte flags, int streamId, byte[] payload, CancellationToken token)
    {
        var frame = new byte[FrameHeaderLength + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId);
        payload.CopyTo(frame, FrameHeaderLength);
        await stream.WriteAsync(frame, token);
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort!.Value, _stop.Token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up, _stop.Token), up.CopyToAsync(down, _stop.Token));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
