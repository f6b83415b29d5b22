PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE payout_batches_copy AS SELECT * FROM payout_batches WHERE state <> 'cancelled';
DROP TABLE payout_batches;
CREATE TABLE payout_batches (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 35),
    payout_count INTEGER NOT NULL CHECK (payout_count > 0),
    control_sum_micros BIGINT NOT NULL CHECK (control_sum_micros > 0),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'sent')),
    document TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    sent_by BIGINT REFERENCES users (id),
    sent_at TIMESTAMP,
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
INSERT INTO payout_batches (id, message_id, payout_count, control_sum_micros, state, document,
                            created_by, created_at, sent_by, sent_at)
    SELECT id, message_id, payout_count, control_sum_micros, state, document,
           created_by, created_at, sent_by, sent_at
    FROM payout_batches_copy ORDER BY id;
DROP TABLE payout_batches_copy;
CREATE UNIQUE INDEX payout_batches_one_open ON payout_batches (state) WHERE state = 'open';
ALTER TABLE card_disputes DROP COLUMN withdrawn_at;
