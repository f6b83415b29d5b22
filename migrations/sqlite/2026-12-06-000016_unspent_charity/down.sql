DROP TABLE month_donations;
ALTER TABLE budgets DROP COLUMN unspent;
