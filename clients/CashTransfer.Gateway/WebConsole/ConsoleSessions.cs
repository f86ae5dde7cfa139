using System.Security.Cryptography;
using System.Text;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>A signed-in console user: the client whose key signed the sign-in challenge, and the session's CSRF token.</summary>
public sealed record ConsoleSession(string KeyId, ClientRole Role, string AgencyMsp, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Console sessions, held in the service's database (SQLite or PostgreSQL, table <c>console_sessions</c>): the cookie
/// carries only a random session id, so that a session carries nothing the server did not decide, signing out ends it
/// for good, and a restart of the service (or another instance on the same PostgreSQL) keeps it. Rows are keyed by the
/// id's SHA-256. Expired sessions are refused when met and swept when a session starts.
/// </summary>
public sealed class ConsoleSessions(IDatabase database, TimeProvider clock, IOptions<ConsoleOptions> options)
{
    private const string Columns = "key_id AS KeyId, role AS Role, agency_msp AS AgencyMsp, csrf_token AS CsrfToken, expires_at AS ExpiresAt";

    /// <summary>Starts a session; null when too many are open.</summary>
    public async Task<(string SessionId, ConsoleSession Session)?> StartAsync(string keyId, ClientRole role, string agencyMsp, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("DELETE FROM console_sessions WHERE expires_at <= @now", new { now = now.ToUnixTimeMilliseconds() });
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_sessions") >= options.Value.MaxOpen) return null;
        var session = new ConsoleSession(keyId, role, agencyMsp, RandomToken(), now + options.Value.SessionLifetime);
        var sessionId = RandomToken();
        await connection.ExecuteAsync(
            "INSERT INTO console_sessions (session_hash, key_id, role, agency_msp, csrf_token, expires_at) " +
            "VALUES (@hash, @KeyId, @role, @AgencyMsp, @CsrfToken, @expiresAt)",
            new { hash = Hash(sessionId), session.KeyId, role = role.ToString(), session.AgencyMsp, session.CsrfToken, expiresAt = session.ExpiresAt.ToUnixTimeMilliseconds() });
        return (sessionId, session);
    }

    /// <summary>The live session with this id, or null (unknown, ended or expired).</summary>
    public async Task<ConsoleSession?> FindAsync(string sessionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(
            $"SELECT {Columns} FROM console_sessions WHERE session_hash = @hash AND expires_at > @now",
            new { hash = Hash(sessionId), now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        return row is null || !Enum.TryParse<ClientRole>(row.Role, out var role)
            ? null
            : new ConsoleSession(row.KeyId, role, row.AgencyMsp, row.CsrfToken, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
    }

    public async Task EndAsync(string sessionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("DELETE FROM console_sessions WHERE session_hash = @hash", new { hash = Hash(sessionId) });
    }

    /// <summary>256 random bits, base64url.</summary>
    public static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    private sealed class SessionRow
    {
        public string KeyId { get; set; } = "";
        public string Role { get; set; } = "";
        public string AgencyMsp { get; set; } = "";
        public string CsrfToken { get; set; } = "";
        public long ExpiresAt { get; set; }
    }
}
