ALTER TABLE settlement_runs DROP COLUMN statements_queued_at;
DROP TABLE email_tokens;
DROP TABLE mail_outbox;
DROP TABLE payouts;
-- Possible only while no payout has gone through the ledger (its entries are history). The
-- wider CHECK constraint stays: it admits every kind the former code wrote.
DELETE FROM ledger_accounts WHERE kind IN ('pending_payouts', 'payouts_sent');
