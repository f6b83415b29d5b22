DROP TABLE idempotency_keys;
DROP TABLE budgets;
DROP TABLE vouchers;
DROP TABLE voucher_batches;
DROP TABLE ledger_entries;
DROP TABLE ledger_groups;
DROP TABLE ledger_accounts;
