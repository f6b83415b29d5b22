DROP TABLE thing_counts;
DROP INDEX things_language_category_popular;
DROP INDEX things_category_popular;
DROP INDEX things_language_new;
DROP INDEX things_language_all_time;
DROP INDEX things_language_popular;
DROP INDEX things_new;
DROP INDEX things_all_time;
DROP INDEX things_popular;
CREATE INDEX things_popular ON things (month_clicks DESC, id DESC);
CREATE INDEX things_all_time ON things (all_time_clicks DESC, id DESC);
CREATE INDEX things_language_popular ON things (language, month_clicks DESC, id DESC);
CREATE INDEX things_language_all_time ON things (language, all_time_clicks DESC, id DESC);
CREATE INDEX things_language_new ON things (language, id DESC);
CREATE INDEX things_facets ON things (hidden, language, category);
DROP TABLE thing_search;
CREATE VIRTUAL TABLE thing_search USING fts5(
    title, creator, description,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO thing_search (thing_search, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)');
