-- A creator's pages ("things"). `url_key` is the URL without its scheme: one page is one thing,
-- whether it was registered over http or https.
CREATE TABLE things (
    id INTEGER PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    url_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    language TEXT NOT NULL,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX things_owner ON things (owner_id);

-- One click per reader, thing and month, enforced here. Never on one's own thing (checked by
-- the use case; a CHECK cannot see the owner).
CREATE TABLE clicks (
    id INTEGER PRIMARY KEY,
    reader_id BIGINT NOT NULL REFERENCES users (id),
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (reader_id, thing_id, month)
);
CREATE INDEX clicks_month_reader ON clicks (month, reader_id);
CREATE INDEX clicks_thing_month ON clicks (thing_id, month);

-- The month's budget of a reader, reserved from funds by the month's first click and released
-- when its last click is undone. The row exists exactly while the reservation does.
CREATE TABLE month_budgets (
    reader_id BIGINT NOT NULL REFERENCES users (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    -- The month's clicks, kept with the reservation so that a click reads and updates one row.
    clicks BIGINT NOT NULL DEFAULT 0 CHECK (clicks >= 0),
    reserved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (reader_id, month)
);

-- Pre-aggregated click counts (badges, "popular this month"), kept in the click's transaction.
-- Sharded by reader (`shard` = reader id mod 16): a popular thing's clicks update 16 rows, not
-- one row every concurrent transaction would queue on. A count is the sum of its shards.
CREATE TABLE thing_month_counts (
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL,
    shard INTEGER NOT NULL CHECK (shard BETWEEN 0 AND 15),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    PRIMARY KEY (thing_id, month, shard)
);
