-- Claims (issue 19): money goes to whoever proves the page is theirs.
--
-- A site is an origin (`https://example.org/`) or a profile page on a shared host
-- (`https://social.example/@alice`) that a person says is theirs; `token` is what they put on
-- it. A verification fills `verified_at` and `method`. Rows are history: a site proven by
-- someone else since is `superseded_at`, one its owner removed is `removed_at`; neither is
-- ever deleted. `url_key` is the URL without its scheme, as things' `url_key`.
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    verified_at TIMESTAMP,
    method TEXT CHECK (method IN ('meta', 'well_known', 'rel_me', 'operator')),
    vouched_by BIGINT REFERENCES users (id),
    superseded_at TIMESTAMP,
    removed_at TIMESTAMP,
    -- What the last failed check found, for the page (a translation key and its arguments).
    last_failure TEXT,
    last_checked_at TIMESTAMP,
    CHECK ((verified_at IS NULL) = (method IS NULL)),
    CHECK (superseded_at IS NULL OR verified_at IS NOT NULL)
);
-- One live site per person and URL; one current proof per URL, whoever holds it.
CREATE UNIQUE INDEX sites_per_user ON sites (user_id, url_key) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX sites_current_proof ON sites (url_key)
    WHERE verified_at IS NOT NULL AND superseded_at IS NULL AND removed_at IS NULL;

-- The verified site of its owner that covers a thing (the longest one): the thing is
-- claimed exactly when this is set. Things that exist before this migration are unclaimed.
ALTER TABLE things ADD COLUMN site_id BIGINT REFERENCES sites (id);
CREATE INDEX things_by_site ON things (site_id) WHERE site_id IS NOT NULL;

-- Who a thing's month was settled for: statements stay with the creator of the day when the
-- thing changes hands later.
-- (SQLite adds a NOT NULL column only with a default; every row is then filled.)
ALTER TABLE thing_month_totals ADD COLUMN creator_id BIGINT NOT NULL DEFAULT 0;
UPDATE thing_month_totals SET creator_id = (SELECT owner_id FROM things WHERE things.id = thing_month_totals.thing_id);

-- The held account: the shares of unclaimed things, until they are claimed (released to the
-- owner, less the fee) or the hold ends (returned to each reader, or given to the charity).
-- SQLite cannot change a CHECK constraint: ledger_accounts is rebuilt, ids kept, as in
-- migration 000008 (foreign keys checked at commit).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE ledger_accounts_copy AS SELECT id, kind, owner_id, balance_micros, shard FROM ledger_accounts;
DROP TABLE ledger_accounts;
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity',
                                       'vouchers_outstanding', 'voucher_sales', 'card_payments',
                                       'settlement_clearing', 'reserved_budgets',
                                       'pending_payouts', 'payouts_sent', 'held')),
    owner_id BIGINT REFERENCES users (id),
    -- A cache of SUM(ledger_entries.amount_micros); `obole ledger check` proves it.
    balance_micros BIGINT NOT NULL DEFAULT 0,
    -- The platform's accounts of one kind split in several (reserved budgets only).
    shard INTEGER NOT NULL DEFAULT 0 CHECK (shard >= 0 AND (shard = 0 OR kind = 'reserved_budgets')),
    CHECK ((kind IN ('funds', 'reserved', 'revenue')) = (owner_id IS NOT NULL)),
    CHECK (balance_micros >= 0 OR kind IN ('voucher_sales', 'card_payments'))
);
INSERT INTO ledger_accounts (id, kind, owner_id, balance_micros, shard)
    SELECT id, kind, owner_id, balance_micros, shard FROM ledger_accounts_copy ORDER BY id;
DROP TABLE ledger_accounts_copy;
CREATE UNIQUE INDEX ledger_accounts_per_user ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind, shard) WHERE owner_id IS NULL;
INSERT INTO ledger_accounts (kind) VALUES ('held');

-- One row per unclaimed thing and settled month: its share of the month, held. `state` moves
-- once, from `held` to `released` (to `released_to`, the fee taken then, less the prover's own
-- share) or `returned` (to the readers, `held_returns`), by the conditional update that goes
-- with the ledger movement.
CREATE TABLE holds (
    month TEXT NOT NULL CHECK (length(month) = 7),
    thing_id BIGINT NOT NULL REFERENCES things (id),
    creator_id BIGINT NOT NULL REFERENCES users (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'returned')),
    released_to BIGINT REFERENCES users (id),
    fee_micros BIGINT CHECK (fee_micros >= 0),
    -- Of a released hold, the prover's own share (their clicks while the thing was not
    -- theirs): back to their funds in full, since nobody tips their own thing.
    own_micros BIGINT NOT NULL DEFAULT 0 CHECK (own_micros >= 0 AND own_micros <= amount_micros),
    resolved_at TIMESTAMP,
    PRIMARY KEY (month, thing_id),
    CHECK ((state = 'released') = (released_to IS NOT NULL AND fee_micros IS NOT NULL)),
    CHECK ((state = 'held') = (resolved_at IS NULL))
);
CREATE INDEX holds_waiting ON holds (thing_id) WHERE state = 'held';

-- What a hold's end gave back to each reader of a month (or to the charity, `donated`).
CREATE TABLE held_returns (
    month TEXT NOT NULL CHECK (length(month) = 7),
    reader_id BIGINT NOT NULL REFERENCES users (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    donated BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (month, reader_id)
);

-- Every change of a thing's owner or claim, with what it was before: a settlement reads the
-- things as they were when its month closed (`months.claims_seq`, the last change then), so
-- that a run resumed after later claims computes the very month it started with.
CREATE TABLE claim_changes (
    id INTEGER PRIMARY KEY,
    thing_id BIGINT NOT NULL REFERENCES things (id),
    previous_owner BIGINT NOT NULL REFERENCES users (id),
    previous_site_id BIGINT REFERENCES sites (id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX claim_changes_by_time ON claim_changes (changed_at);
ALTER TABLE months ADD COLUMN claims_seq BIGINT;

-- A handle someone gave up stays theirs: a `rel="me"` link to `/c/{handle}` proves a site for
-- the person who had the handle, never for whoever takes it next.
CREATE TABLE retired_handles (
    handle TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    retired_at TIMESTAMP NOT NULL
);
