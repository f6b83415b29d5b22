-- The mail worker takes due messages in batches, in (next_attempt_at, id) order, and a claim
-- moves a row's next_attempt_at to the claim's end (src/models/mail_outbox.rs): the due
-- messages are then one range of this index, read in the claim's order without a sort, however
-- many statements wait behind them.
DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
