ALTER TABLE payout_batches DROP CONSTRAINT payout_batches_cancelled_check;
ALTER TABLE payout_batches DROP COLUMN cancelled_at;
ALTER TABLE payout_batches DROP COLUMN cancelled_by;
ALTER TABLE payout_batches DROP CONSTRAINT payout_batches_state_check;
ALTER TABLE payout_batches ADD CONSTRAINT payout_batches_state_check
    CHECK (state IN ('open', 'sent'));
ALTER TABLE card_disputes DROP COLUMN withdrawn_at;
