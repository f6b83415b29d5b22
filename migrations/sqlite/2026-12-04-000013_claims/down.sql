DROP TABLE held_returns;
DROP TABLE holds;
DELETE FROM ledger_accounts WHERE kind = 'held';
ALTER TABLE thing_month_totals DROP COLUMN creator_id;
DROP INDEX things_by_site;
ALTER TABLE things DROP COLUMN site_id;
DROP TABLE sites;
