ALTER TABLE settlement_runs DROP COLUMN fee_percent;
DROP TABLE months;
