ALTER TABLE ledger_accounts SET (fillfactor = 80);
ALTER TABLE creator_month_totals ADD CONSTRAINT creator_month_totals_creator_id_fkey
    FOREIGN KEY (creator_id) REFERENCES users (id);
ALTER TABLE thing_month_totals ADD CONSTRAINT thing_month_totals_thing_id_fkey
    FOREIGN KEY (thing_id) REFERENCES things (id);
-- Possible only while no budget has gone through the pooled accounts: their entries are
-- history, which a migration does not rewrite (the foreign keys of ledger_entries refuse).
DELETE FROM ledger_accounts WHERE kind = 'reserved_budgets';
INSERT INTO ledger_accounts (kind, owner_id)
    SELECT 'reserved', u.id FROM users u
    WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.owner_id = u.id AND a.kind = 'reserved');
DROP INDEX ledger_accounts_platform;
ALTER TABLE ledger_accounts DROP COLUMN shard;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind) WHERE owner_id IS NULL;
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity', 'vouchers_outstanding',
                    'voucher_sales', 'card_payments', 'settlement_clearing'));
