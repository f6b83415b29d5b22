CREATE TABLE clicks_rebuilt (
    id INTEGER PRIMARY KEY,
    reader_id BIGINT NOT NULL REFERENCES users (id),
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (reader_id, thing_id, month)
);
INSERT INTO clicks_rebuilt (id, reader_id, thing_id, month, created_at)
    SELECT id, reader_id, thing_id, month, created_at FROM clicks;
DROP TABLE clicks;
ALTER TABLE clicks_rebuilt RENAME TO clicks;
CREATE INDEX clicks_month_reader ON clicks (month, reader_id);
CREATE INDEX clicks_thing_month ON clicks (thing_id, month);
