-- Clicks are read by month and reader (a reader's month; the settlement's ordered read of a
-- month) and by their full key (one click per reader, thing and month). One UNIQUE index in
-- the order (month, reader_id, thing_id) serves all of these, and each index less is a page
-- less to write at every click: dropping the two others took SQLite from about 20,000 to
-- 27,000 clicks a second (docs/PERFORMANCE.md). Per-thing counts live in thing_month_counts,
-- a reader's months in month_budgets; things and users are hidden, never deleted, so the
-- foreign keys need no index of their own here.
-- SQLite cannot drop a table's UNIQUE constraint: the table is rebuilt, ids kept.
CREATE TABLE clicks_rebuilt (
    id INTEGER PRIMARY KEY,
    reader_id BIGINT NOT NULL REFERENCES users (id),
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    created_at TIMESTAMP NOT NULL
);
INSERT INTO clicks_rebuilt (id, reader_id, thing_id, month, created_at)
    SELECT id, reader_id, thing_id, month, created_at FROM clicks;
DROP TABLE clicks;
ALTER TABLE clicks_rebuilt RENAME TO clicks;
CREATE UNIQUE INDEX clicks_once ON clicks (month, reader_id, thing_id);
