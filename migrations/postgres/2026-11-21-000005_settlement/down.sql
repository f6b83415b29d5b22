DROP TABLE thing_month_totals;
DROP TABLE creator_month_totals;
DROP TABLE settlement_runs;
