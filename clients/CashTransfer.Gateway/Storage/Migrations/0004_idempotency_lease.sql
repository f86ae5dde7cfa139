-- A pending Idempotency-Key is held under a lease that its request renews while it runs: after a crash the lease runs
-- out and a resend with the same key runs again instead of getting 409 until the record expires. The holder names the
-- one request that owns the claim, so that a request whose lease was taken over cannot complete the newer claim.
ALTER TABLE idempotency ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE idempotency ADD COLUMN holder TEXT NULL;
