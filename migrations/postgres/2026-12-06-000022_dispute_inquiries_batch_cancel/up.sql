-- Review of issue 24's money paths.
--
-- A dispute's money leaves the reader's funds once, when the bank withdraws it: an inquiry
-- (Stripe's `warning_*` statuses) moves nothing, and a dispute closed in the platform's
-- favour before we heard it opened never took anything. NULL: nothing was withdrawn (yet).
-- Every dispute recorded before this migration was withdrawn when it was recorded.
ALTER TABLE card_disputes ADD COLUMN withdrawn_at TIMESTAMP;
UPDATE card_disputes SET withdrawn_at = created_at;

-- An open batch can be cancelled (a file never given to the bank, or given too late): its
-- document stays as a record, its payouts wait for the next batch.
ALTER TABLE payout_batches DROP CONSTRAINT payout_batches_state_check;
ALTER TABLE payout_batches ADD CONSTRAINT payout_batches_state_check
    CHECK (state IN ('open', 'sent', 'cancelled'));
ALTER TABLE payout_batches ADD COLUMN cancelled_by BIGINT REFERENCES users (id);
ALTER TABLE payout_batches ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE payout_batches ADD CONSTRAINT payout_batches_cancelled_check
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL));
