DROP INDEX holds_released_to;
DROP INDEX holds_creator;
DROP INDEX thing_month_totals_creator;
