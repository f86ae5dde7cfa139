-- A replayed 201/202 must point where the first one pointed (e.g. the bulk upload job it created).
ALTER TABLE idempotency ADD COLUMN response_location TEXT NULL;
