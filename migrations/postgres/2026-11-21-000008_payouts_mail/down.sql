ALTER TABLE settlement_runs DROP COLUMN statements_queued_at;
DROP TABLE email_tokens;
DROP TABLE mail_outbox;
DROP TABLE payouts;
-- Possible only while no payout has gone through the ledger (its entries are history).
DELETE FROM ledger_accounts WHERE kind IN ('pending_payouts', 'payouts_sent');
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity', 'vouchers_outstanding',
                    'voucher_sales', 'card_payments', 'settlement_clearing', 'reserved_budgets'));
