-- SEPA credit-transfer batches (issue 24, PRODUCT.md flow 11): the waiting payouts exported as
-- one pain.001.001.03 file for the operator's bank. The document is kept as written, so that
-- exporting again while the batch is open gives the same file, byte for byte.
CREATE TABLE payout_batches (
    id INTEGER PRIMARY KEY,
    -- GrpHdr/MsgId: unique per batch (banks refuse a message id they have seen).
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
-- One open batch at a time: a second export finds it instead of paying twice.
CREATE UNIQUE INDEX payout_batches_one_open ON payout_batches (state) WHERE state = 'open';

-- Which payouts a batch pays, with the reference each transfer carries. A payout is in one
-- batch at most, ever.
CREATE TABLE payout_batch_items (
    payout_id BIGINT PRIMARY KEY REFERENCES payouts (id),
    batch_id BIGINT NOT NULL REFERENCES payout_batches (id),
    end_to_end_id TEXT NOT NULL UNIQUE CHECK (length(end_to_end_id) BETWEEN 1 AND 35)
);
CREATE INDEX payout_batch_items_batch ON payout_batch_items (batch_id, payout_id);
