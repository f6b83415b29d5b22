DROP TABLE retired_handles;
ALTER TABLE months DROP COLUMN claims_seq;
DROP TABLE claim_changes;
DROP TABLE held_returns;
DROP TABLE holds;
DELETE FROM ledger_accounts WHERE kind = 'held';
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity', 'vouchers_outstanding',
                    'voucher_sales', 'card_payments', 'settlement_clearing', 'reserved_budgets',
                    'pending_payouts', 'payouts_sent'));
ALTER TABLE thing_month_totals DROP COLUMN creator_id;
ALTER TABLE things DROP COLUMN site_id;
DROP TABLE sites;
