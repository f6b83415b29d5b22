-- Clicks are read by month and reader (a reader's month; the settlement's ordered read of a
-- month) and by their full key (one click per reader, thing and month). One UNIQUE index in
-- the order (month, reader_id, thing_id) serves all of these, and each index less is a page
-- less to write at every click (docs/PERFORMANCE.md). Per-thing counts live in
-- thing_month_counts, a reader's months in month_budgets; things and users are hidden, never
-- deleted, so the foreign keys need no index of their own here.
ALTER TABLE clicks ADD CONSTRAINT clicks_once UNIQUE (month, reader_id, thing_id);
ALTER TABLE clicks DROP CONSTRAINT clicks_reader_id_thing_id_month_key;
DROP INDEX clicks_month_reader;
DROP INDEX clicks_thing_month;
