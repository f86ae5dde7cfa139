-- Programmes and retailers as the ledger announced them (ProgrammeCreated/Updated, RetailerRegistered events),
-- so that the web console can list them; the ledger has no list queries for them.
CREATE TABLE IF NOT EXISTS programme_view (
    programme_id TEXT PRIMARY KEY,
    owner_msp    TEXT NOT NULL,
    currency     TEXT NOT NULL,
    budget_minor BIGINT NOT NULL,
    status       TEXT NOT NULL,
    valid_until  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS programme_view_owner ON programme_view (owner_msp, programme_id);

CREATE TABLE IF NOT EXISTS retailer_view (
    retailer_id   TEXT PRIMARY KEY,
    registered_by TEXT NOT NULL,
    status        TEXT NOT NULL
);
