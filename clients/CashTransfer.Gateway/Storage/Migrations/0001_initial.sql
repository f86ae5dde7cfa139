-- One schema for SQLite and PostgreSQL: only TEXT and BIGINT columns, times as Unix milliseconds.

-- Receipts accepted from terminals, stored before the batch is acknowledged; the submitter works through them.
CREATE TABLE IF NOT EXISTS outbox (
    redemption_id   TEXT PRIMARY KEY,
    terminal_id     TEXT NOT NULL,
    sequence        BIGINT NOT NULL,
    receipt_hash    TEXT NOT NULL,
    signed_receipt  TEXT NOT NULL,
    status          TEXT NOT NULL,
    reason          TEXT NULL,
    reason_detail   TEXT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT NULL,
    tx_id           TEXT NULL,
    prepared_tx     TEXT NULL,
    outcome         TEXT NULL,
    received_at     BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL,
    UNIQUE (terminal_id, sequence)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);

-- Idempotency-Key records per authenticated client: the request's hash and the response it got.
CREATE TABLE IF NOT EXISTS idempotency (
    principal     TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    state         TEXT NOT NULL,
    status_code   BIGINT NULL,
    content_type  TEXT NULL,
    response_body TEXT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (principal, idem_key)
);

-- Where each terminal's hash-chained journal stands at the gateway.
CREATE TABLE IF NOT EXISTS terminal_journal (
    terminal_id       TEXT PRIMARY KEY,
    last_sequence     BIGINT NOT NULL,
    last_receipt_hash TEXT NOT NULL,
    updated_at        BIGINT NOT NULL
);

-- Gaps and forks detected in uploads, kept for operators (the upload itself is refused).
CREATE TABLE IF NOT EXISTS journal_anomalies (
    anomaly_id        TEXT PRIMARY KEY,
    terminal_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    expected_sequence BIGINT NOT NULL,
    received_sequence BIGINT NOT NULL,
    detail            TEXT NOT NULL,
    detected_at       BIGINT NOT NULL
);

-- Registered terminals and the keys that sign their receipts and requests.
CREATE TABLE IF NOT EXISTS terminals (
    terminal_id    TEXT PRIMARY KEY,
    retailer_id    TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    key_version    BIGINT NOT NULL,
    status         TEXT NOT NULL,
    agency_msp     TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Event projection: the last event applied (block and transaction), updated with the read models it changed.
CREATE TABLE IF NOT EXISTS projection_checkpoint (
    name         TEXT PRIMARY KEY,
    block_number BIGINT NOT NULL,
    tx_id        TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS receipt_status_view (
    redemption_id TEXT PRIMARY KEY,
    terminal_id   TEXT NOT NULL,
    retailer_id   TEXT NOT NULL,
    status        TEXT NOT NULL,
    reason        TEXT NULL,
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    tx_id         TEXT NOT NULL,
    block_number  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS payable_view (
    retailer_id   TEXT NOT NULL,
    agency_msp    TEXT NOT NULL,
    redemption_id TEXT NOT NULL,
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (retailer_id, agency_msp, redemption_id)
);

-- Balances read through from the ledger and dropped when an event changes them.
CREATE TABLE IF NOT EXISTS balance_view (
    beneficiary_hash TEXT NOT NULL,
    programme_id     TEXT NOT NULL,
    cycle            TEXT NOT NULL,
    currency         TEXT NOT NULL,
    balance_minor    BIGINT NOT NULL,
    valid_until      TEXT NOT NULL,
    PRIMARY KEY (beneficiary_hash, programme_id, cycle)
);

-- Bulk entitlement uploads processed in the background.
CREATE TABLE IF NOT EXISTS bulk_jobs (
    job_id         TEXT PRIMARY KEY,
    agency_msp     TEXT NOT NULL,
    programme_id   TEXT NOT NULL,
    cycle          TEXT NOT NULL,
    format         TEXT NOT NULL,
    upload_path    TEXT NOT NULL,
    result_path    TEXT NOT NULL,
    status         TEXT NOT NULL,
    total_rows     BIGINT NOT NULL,
    processed_rows BIGINT NOT NULL,
    issued_rows    BIGINT NOT NULL,
    failed_rows    BIGINT NOT NULL,
    error          TEXT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
