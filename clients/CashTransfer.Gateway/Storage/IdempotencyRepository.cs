using Dapper;

namespace CashTransfer.Gateway.Storage;

/// <summary>A stored Idempotency-Key: the request it was first used with and, once complete, the response it got.</summary>
public sealed class IdempotencyRecord
{
    public string Principal { get; set; } = "";
    public string IdemKey { get; set; } = "";
    public string RequestHash { get; set; } = "";
    /// <summary><c>pending</c> while the first request runs, then <c>complete</c>.</summary>
    public string State { get; set; } = "";
    public long? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseBody { get; set; }
    /// <summary>The first response's Location header, replayed with it.</summary>
    public string? ResponseLocation { get; set; }
    public long CreatedAt { get; set; }
    /// <summary>Until when (Unix ms) a pending record's request holds the key; it renews this while it runs.</summary>
    public long LeaseUntil { get; set; }
}

/// <summary>
/// Idempotency records. The primary key (client, key) makes the claim atomic: of two concurrent requests with the
/// same key exactly one inserts the record and runs; the other finds it. Records live for a retention period from
/// their first request; an expired record no longer holds its key, whether or not the purger has removed it yet.
/// A pending record is held under a lease that its request renews while it runs (<see cref="RenewAsync"/>): once the
/// lease has run out (the service was killed), the key is free again. Every change to a claim names its
/// <c>holder</c>, so that a request whose lease was taken over can no longer complete or release the newer claim.
/// </summary>
public sealed class IdempotencyRepository(IDatabase database)
{
    /// <summary>
    /// Claims the key for this request under <paramref name="holder"/> until <paramref name="leaseUntil"/>; false when a
    /// live record exists already. A record created before <paramref name="expiredBefore"/> has expired, and a pending
    /// record whose lease ran out before <paramref name="now"/> was left by a request that died: either is dropped and
    /// the key claimed afresh.
    /// </summary>
    public async Task<bool> TryClaimAsync(string principal, string key, string requestHash, string holder, DateTimeOffset now, DateTimeOffset leaseUntil,
        DateTimeOffset expiredBefore, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "DELETE FROM idempotency WHERE principal = @principal AND idem_key = @key AND (created_at < @cutoff OR (state = 'pending' AND lease_until < @now))",
            new { principal, key, cutoff = expiredBefore.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() });
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO idempotency (principal, idem_key, request_hash, state, created_at, lease_until, holder) " +
            "VALUES (@principal, @key, @requestHash, 'pending', @now, @leaseUntil, @holder) ON CONFLICT (principal, idem_key) DO NOTHING",
            new { principal, key, requestHash, holder, now = now.ToUnixTimeMilliseconds(), leaseUntil = leaseUntil.ToUnixTimeMilliseconds() });
        return inserted == 1;
    }

    public async Task<IdempotencyRecord?> FindAsync(string principal, string key, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<IdempotencyRecord>(
            "SELECT principal AS Principal, idem_key AS IdemKey, request_hash AS RequestHash, state AS State, status_code AS StatusCode, " +
            "content_type AS ContentType, response_body AS ResponseBody, response_location AS ResponseLocation, created_at AS CreatedAt, " +
            "lease_until AS LeaseUntil FROM idempotency WHERE principal = @principal AND idem_key = @key",
            new { principal, key });
    }

    /// <summary>Extends the lease of a pending claim; false when the claim is no longer this holder's.</summary>
    public async Task<bool> RenewAsync(string principal, string key, string holder, DateTimeOffset leaseUntil, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE idempotency SET lease_until = @leaseUntil WHERE principal = @principal AND idem_key = @key AND holder = @holder AND state = 'pending'",
            new { principal, key, holder, leaseUntil = leaseUntil.ToUnixTimeMilliseconds() }) == 1;
    }

    public async Task CompleteAsync(string principal, string key, string holder, int statusCode, string? contentType, string body, string? location = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE idempotency SET state = 'complete', status_code = @statusCode, content_type = @contentType, response_body = @body, response_location = @location " +
            "WHERE principal = @principal AND idem_key = @key AND holder = @holder",
            new { principal, key, holder, statusCode = (long)statusCode, contentType, body, location });
    }

    /// <summary>Releases a key whose request failed on the server's side, so that the client can retry it.</summary>
    public async Task ReleaseAsync(string principal, string key, string holder, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("DELETE FROM idempotency WHERE principal = @principal AND idem_key = @key AND holder = @holder AND state = 'pending'",
            new { principal, key, holder });
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> records created before <paramref name="cutoff"/> (oldest first) and
    /// returns how many; a caller repeats while it returns <paramref name="limit"/>. Small batches keep SQLite's
    /// write lock short.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset cutoff, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "DELETE FROM idempotency WHERE (principal, idem_key) IN " +
            "(SELECT principal, idem_key FROM idempotency WHERE created_at < @cutoff ORDER BY created_at LIMIT @limit)",
            new { cutoff = cutoff.ToUnixTimeMilliseconds(), limit = (long)limit });
    }
}
