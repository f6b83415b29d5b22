-- Hardening (issue 18).
--
-- `months`: a month clicks and undos may still land in, until its settlement begins
-- (`closed_at`). Every click and undo reads its month's row in the transaction that writes;
-- settlement sets `closed_at` before it reads the month. SQLite has one writer at a time, so
-- that order is the whole story here (on PostgreSQL the same row is also share-locked).
CREATE TABLE months (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    closed_at TIMESTAMP
);
INSERT INTO months (month, closed_at)
    SELECT m.month, (SELECT r.started_at FROM settlement_runs r WHERE r.month = m.month)
    FROM (SELECT month FROM month_budgets UNION SELECT month FROM settlement_runs) m;

-- The fee rate a run started with, in percent as a decimal string ("10", "7.5"): a resumed
-- run uses it whatever OBOLE_FEE_PERCENT says by then, and statements name it. NULL for runs
-- recorded before this column.
ALTER TABLE settlement_runs ADD COLUMN fee_percent TEXT;
