-- Idempotency records expire after a retention period (CashTransfer:Idempotency:Retention); the purger finds them by age.
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);
