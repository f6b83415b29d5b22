-- Subscriptions (issue 22, PRODUCT.md flow 9): a reader's thing clicked for them once in
-- every month, by the server, at its first chance in the month.
--
-- `last_month` is the last month (`YYYY-MM`) the server took the subscription in: claimed by a
-- conditional update in the same write as the click it makes, so that whichever process comes
-- first clicks and no other, and an undone subscription click is not made again that month.
CREATE TABLE subscriptions (
    reader_id BIGINT NOT NULL REFERENCES users (id),
    thing_id BIGINT NOT NULL REFERENCES things (id),
    since TIMESTAMP NOT NULL,
    last_month TEXT CHECK (last_month IS NULL OR length(last_month) = 7),
    PRIMARY KEY (reader_id, thing_id)
);
CREATE INDEX subscriptions_thing ON subscriptions (thing_id);
CREATE INDEX subscriptions_due ON subscriptions (last_month);

-- How a click was made: by the reader, or by the server for a subscription. Existing click
-- statements leave it to its default.
ALTER TABLE clicks ADD COLUMN via TEXT NOT NULL DEFAULT 'click'
    CHECK (via IN ('click', 'subscription'));
