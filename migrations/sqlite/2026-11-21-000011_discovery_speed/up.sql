-- Discovery at scale (100,000 things): a search filters and counts its matches in the index
-- alone, and browse reads its orders from indexes of visible things only.

-- The index holds visible things only (a hidden thing is taken out), with its language and
-- category as words such as `~language=fr` and `~category=music` (`~` and `=` are word
-- characters here), which no searched word, not even as a prefix, can match: a searched word
-- has letters and digits only. Refilled at start by `obole serve`.
DROP TABLE thing_search;
CREATE VIRTUAL TABLE thing_search USING fts5(
    title, creator, description, language, category,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '~='"
);

-- Each order of browse over visible things: a page and its offset are read from the index.
-- The facets' index goes: counts come from thing_counts now, and SQLite preferred it to an
-- order's index for a category over all languages, then sorted thousands of rows.
DROP INDEX things_facets;
DROP INDEX things_popular;
DROP INDEX things_all_time;
DROP INDEX things_language_popular;
DROP INDEX things_language_all_time;
DROP INDEX things_language_new;
CREATE INDEX things_popular ON things (month_clicks DESC, id DESC) WHERE hidden = FALSE;
CREATE INDEX things_all_time ON things (all_time_clicks DESC, id DESC) WHERE hidden = FALSE;
CREATE INDEX things_new ON things (id DESC) WHERE hidden = FALSE;
CREATE INDEX things_language_popular ON things (language, month_clicks DESC, id DESC) WHERE hidden = FALSE;
CREATE INDEX things_language_all_time ON things (language, all_time_clicks DESC, id DESC) WHERE hidden = FALSE;
CREATE INDEX things_language_new ON things (language, id DESC) WHERE hidden = FALSE;
-- A category, in all languages or one, by this month's tips (browse's default order).
CREATE INDEX things_category_popular ON things (category, month_clicks DESC, id DESC) WHERE hidden = FALSE;
CREATE INDEX things_language_category_popular ON things (language, category, month_clicks DESC, id DESC) WHERE hidden = FALSE;

-- Visible things per language and category: browse's totals without counting 100,000 rows
-- for each page. Kept by the thing model's insert and update, in the writer's transaction.
CREATE TABLE thing_counts (
    language TEXT NOT NULL,
    category TEXT NOT NULL,
    things BIGINT NOT NULL CHECK (things >= 0),
    PRIMARY KEY (language, category)
);
INSERT INTO thing_counts (language, category, things)
    SELECT language, category, COUNT(*) FROM things WHERE hidden = FALSE
    GROUP BY language, category;
