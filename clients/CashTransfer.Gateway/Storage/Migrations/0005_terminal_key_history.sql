-- The keys a terminal replaced and the periods it was suspended, as the ledger keeps them (JSON), so that intake judges
-- each receipt by the key in force at its sale (docs/terminal-keys.md). NULL on rows projected before this column.
ALTER TABLE terminals ADD COLUMN key_history TEXT;
