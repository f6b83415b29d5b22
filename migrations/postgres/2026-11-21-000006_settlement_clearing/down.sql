ALTER TABLE settlement_runs DROP CONSTRAINT settlement_runs_stage_check;
UPDATE settlement_runs SET stage = 'fees' WHERE stage = 'creators';
ALTER TABLE settlement_runs ADD CONSTRAINT settlement_runs_stage_check
    CHECK (stage IN ('readers', 'fees', 'check', 'done'));
DELETE FROM ledger_accounts WHERE kind = 'settlement_clearing';
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity', 'vouchers_outstanding',
                    'voucher_sales', 'card_payments'));
ALTER TABLE ledger_accounts RESET (fillfactor);
