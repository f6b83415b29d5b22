DROP TABLE thing_month_counts;
DROP TABLE month_budgets;
DROP TABLE clicks;
DROP TABLE things;
