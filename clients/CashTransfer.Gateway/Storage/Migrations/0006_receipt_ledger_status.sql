-- One name per state: the projection keeps what the ledger recorded about a redemption (Accepted, Rejected, Reversed),
-- which the API calls its ledger status; a receipt's own state (received ... committed) lives in the outbox.
ALTER TABLE receipt_status_view RENAME COLUMN status TO ledger_status;
