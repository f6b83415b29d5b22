DROP TABLE thing_search;
DROP TABLE creator_profiles;
DROP INDEX things_facets;
DROP INDEX things_all_time;
DROP INDEX things_popular;
ALTER TABLE things DROP COLUMN all_time_clicks;
ALTER TABLE things DROP COLUMN month_clicks;
