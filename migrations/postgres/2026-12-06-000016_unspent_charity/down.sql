DROP TABLE month_donations;
DROP INDEX budgets_giving;
ALTER TABLE budgets DROP COLUMN unspent;
