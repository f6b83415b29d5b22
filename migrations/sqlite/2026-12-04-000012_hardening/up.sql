-- Hardening (issue 18).
--
-- `months`: a month clicks and undos may still land in, until its settlement begins
-- (`closed_at`). Every click and undo reads its month's row in the transaction that writes;
-- settlement sets `closed_at` before it reads the month. SQLite has one writer at a time, so
-- that order is the whole story here (on PostgreSQL the same row is also share-locked).
CREATE TABLE months (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    closed_at TIMESTAMP
);
INSERT INTO months (month, closed_at)
    SELECT m.month, (SELECT r.started_at FROM settlement_runs r WHERE r.month = m.month)
    FROM (SELECT month FROM month_budgets UNION SELECT month FROM settlement_runs) m;

-- The fee rate a run started with, in percent as a decimal string ("10", "7.5"): a resumed
-- run uses it whatever OBOLE_FEE_PERCENT says by then, and statements name it. NULL for runs
-- recorded before this column.
ALTER TABLE settlement_runs ADD COLUMN fee_percent TEXT;

-- A sign-up through a provider that did not vouch for the address it gave (or gave none, and
-- the person typed one): no account is opened and no identity linked until the person types
-- the code mailed to that address, in the browser that started (its session holds the id),
-- so that the mailbox's owner and the identity's are one person. Only a digest of the code
-- is kept, and a few wrong codes end the attempt.
CREATE TABLE oauth_signups (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    locale TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- The code of a pending sign-up goes to an address that has no account yet: such a message
-- has no user. SQLite cannot drop NOT NULL: the table is rebuilt, ids kept.
CREATE TABLE mail_outbox_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    payload TEXT NOT NULL DEFAULT '{}',
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT,
    CHECK ((user_id IS NULL) = (kind = 'confirm_sign_up'))
);
INSERT INTO mail_outbox_new (id, kind, user_id, payload, dedupe_key, created_at, attempts,
                             next_attempt_at, claimed_until, sent_at, last_error)
    SELECT id, kind, user_id, payload, dedupe_key, created_at, attempts,
           next_attempt_at, claimed_until, sent_at, last_error
    FROM mail_outbox ORDER BY id;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX oauth_signups_by_email ON oauth_signups (email, created_at);
CREATE INDEX oauth_signups_by_identity ON oauth_signups (provider, subject, created_at);
