ALTER TABLE clicks DROP COLUMN via;
DROP TABLE subscriptions;
