-- Web console sessions, kept in the service's database so that a restart does not sign everyone out. The key is the
-- SHA-256 of the cookie's random session id: a copy of this table opens no session. Signing out deletes the row.
CREATE TABLE IF NOT EXISTS console_sessions (
    session_hash TEXT PRIMARY KEY,
    key_id       TEXT NOT NULL,
    role         TEXT NOT NULL,
    agency_msp   TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS console_sessions_expiry ON console_sessions (expires_at);

-- The programme list now comes from the ledger (Query:ListProgrammes); the read model of programmes is no longer kept.
DROP TABLE IF EXISTS programme_view;
