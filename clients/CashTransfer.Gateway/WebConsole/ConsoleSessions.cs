using System.Collections.Concurrent;
using System.Security.Cryptography;
using CashTransfer.Gateway.Ledger;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>A signed-in console user: the client whose key signed the sign-in challenge, and the session's CSRF token.</summary>
public sealed record ConsoleSession(string KeyId, ClientRole Role, string AgencyMsp, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Console sessions, held in memory: the cookie carries only a random session id, so that signing out (or a restart)
/// ends a session for good, and a session carries nothing the server did not decide. Expired sessions are dropped
/// when met and swept when a session starts.
/// </summary>
public sealed class ConsoleSessions(TimeProvider clock, IOptions<ConsoleOptions> options)
{
    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session; null when too many are open.</summary>
    public (string SessionId, ConsoleSession Session)? Start(string keyId, ClientRole role, string agencyMsp)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, s) in _sessions)
            if (s.ExpiresAt <= now) _sessions.TryRemove(id, out _);
        if (_sessions.Count >= options.Value.MaxOpen) return null;
        var session = new ConsoleSession(keyId, role, agencyMsp, RandomToken(), now + options.Value.SessionLifetime);
        var sessionId = RandomToken();
        _sessions[sessionId] = session;
        return (sessionId, session);
    }

    /// <summary>The live session with this id, or null (unknown, ended or expired).</summary>
    public ConsoleSession? Find(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return null;
        if (session.ExpiresAt > clock.GetUtcNow()) return session;
        _sessions.TryRemove(sessionId, out _);
        return null;
    }

    public void End(string sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>256 random bits, base64url.</summary>
    public static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
