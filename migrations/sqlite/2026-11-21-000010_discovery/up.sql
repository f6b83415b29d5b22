-- Discovery: browse, search and creator pages.

-- Click totals that browse sorts by, copied from the sharded counters (thing_month_counts) by
-- `popularity.rs` shortly after each click, never in the click's own transaction: a sort
-- needs one row per thing and an index, the click path needs rows no two writers queue on.
ALTER TABLE things ADD COLUMN month_clicks BIGINT NOT NULL DEFAULT 0 CHECK (month_clicks >= 0);
ALTER TABLE things ADD COLUMN all_time_clicks BIGINT NOT NULL DEFAULT 0 CHECK (all_time_clicks >= 0);
-- Each order of browse, over all languages and within one (the browse page's default): a page
-- is read in index order, a category filtered on the way.
CREATE INDEX things_popular ON things (month_clicks DESC, id DESC);
CREATE INDEX things_all_time ON things (all_time_clicks DESC, id DESC);
CREATE INDEX things_language_popular ON things (language, month_clicks DESC, id DESC);
CREATE INDEX things_language_all_time ON things (language, all_time_clicks DESC, id DESC);
CREATE INDEX things_language_new ON things (language, id DESC);
-- Filters and the count of matches read this index alone.
CREATE INDEX things_facets ON things (hidden, language, category);

-- A creator's (or reader's) public page, at /c/{handle}.
CREATE TABLE creator_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    handle TEXT NOT NULL UNIQUE CHECK (length(handle) BETWEEN 2 AND 30 AND handle = lower(handle)),
    public_name TEXT NOT NULL CHECK (length(public_name) BETWEEN 1 AND 80),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    -- Up to five http(s) URLs, one per line.
    links TEXT NOT NULL DEFAULT '',
    -- Whether the page lists the things this person clicked this month (off unless chosen).
    clicks_public BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL
);

-- Full-text search. The text is normalised by Obole before it is stored (lower case, accents
-- and punctuation removed: `search.rs`), so that both backends see the same words; the rowid
-- is the thing's id. Kept by the thing and profile use cases, not by triggers.
CREATE VIRTUAL TABLE thing_search USING fts5(
    title, creator, description,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- A title word weighs more than a creator's name, which weighs more than a description word.
INSERT INTO thing_search (thing_search, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)');
