-- Transactional mail (a password reset, a verification, a sign-up code) is claimed before the
-- month's statements, which all fall due at once on the 1st (src/models/mail_outbox.rs,
-- `claim_due`): this index holds only the non-statement messages not sent yet, so that claim
-- reads a short range however many statements wait. Its condition is written exactly as the
-- claim writes it, so both backends see the query implies it.
CREATE INDEX mail_outbox_urgent_due ON mail_outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND kind NOT IN ('reader_statement', 'creator_statement');
-- The scrape's count of messages whose last attempt failed (src/models/monitoring.rs) reads
-- this index alone rather than visiting every unsent row to look at its `last_error`.
CREATE INDEX mail_outbox_failing ON mail_outbox (id)
    WHERE sent_at IS NULL AND last_error IS NOT NULL;
