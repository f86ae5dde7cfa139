-- The submitter works on many receipts of one terminal at once. A claim names the instance that holds it, so that a
-- terminal's later receipts wait only for earlier ones leased by another instance (journal order across instances),
-- not for the earlier ones this instance is already working on.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NULL;
