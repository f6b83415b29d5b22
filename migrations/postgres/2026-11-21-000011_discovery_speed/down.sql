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
CREATE TABLE thing_search (
    thing_id BIGINT PRIMARY KEY REFERENCES things (id),
    title TEXT NOT NULL,
    creator TEXT NOT NULL,
    description TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', creator), 'B')
        || setweight(to_tsvector('simple', description), 'C')
    ) STORED
);
CREATE INDEX thing_search_document ON thing_search USING GIN (document);
