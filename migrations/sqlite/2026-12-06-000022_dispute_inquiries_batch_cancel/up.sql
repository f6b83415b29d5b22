-- Review of issue 24's money paths.
--
-- A dispute's money leaves the reader's funds once, when the bank withdraws it: an inquiry
-- (Stripe's `warning_*` statuses) moves nothing, and a dispute closed in the platform's
-- favour before we heard it opened never took anything. NULL: nothing was withdrawn (yet).
-- Every dispute recorded before this migration was withdrawn when it was recorded.
ALTER TABLE card_disputes ADD COLUMN withdrawn_at TIMESTAMP;
UPDATE card_disputes SET withdrawn_at = created_at;

-- An open batch can be cancelled (a file never given to the bank, or given too late): its
-- document stays as a record, its payouts wait for the next batch. SQLite cannot change a
-- CHECK constraint: the table is rebuilt, ids kept (foreign keys checked at commit).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE payout_batches_copy AS SELECT * FROM payout_batches;
DROP TABLE payout_batches;
CREATE TABLE payout_batches (
    id INTEGER PRIMARY KEY,
    -- GrpHdr/MsgId: unique per batch (banks refuse a message id they have seen).
    message_id TEXT NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 35),
    payout_count INTEGER NOT NULL CHECK (payout_count > 0),
    control_sum_micros BIGINT NOT NULL CHECK (control_sum_micros > 0),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'sent', 'cancelled')),
    document TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    sent_by BIGINT REFERENCES users (id),
    sent_at TIMESTAMP,
    cancelled_by BIGINT REFERENCES users (id),
    cancelled_at TIMESTAMP,
    CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL))
);
INSERT INTO payout_batches (id, message_id, payout_count, control_sum_micros, state, document,
                            created_by, created_at, sent_by, sent_at)
    SELECT id, message_id, payout_count, control_sum_micros, state, document,
           created_by, created_at, sent_by, sent_at
    FROM payout_batches_copy ORDER BY id;
DROP TABLE payout_batches_copy;
CREATE UNIQUE INDEX payout_batches_one_open ON payout_batches (state) WHERE state = 'open';
