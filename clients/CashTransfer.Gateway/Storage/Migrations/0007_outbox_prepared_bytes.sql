-- The endorsed transaction and its result as bytes. prepared_tx kept them as JSON holding base64 (about 50 KiB of
-- strings built per receipt for a 12 KB value); it is still read for receipts an earlier version left in flight.
-- BYTEA is PostgreSQL's binary type; SQLite takes the name with BLOB affinity.
ALTER TABLE outbox ADD COLUMN prepared_envelope BYTEA NULL;
ALTER TABLE outbox ADD COLUMN prepared_result BYTEA NULL;
