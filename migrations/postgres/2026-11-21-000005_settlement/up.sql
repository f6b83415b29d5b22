-- One settlement run per month (docs/SETTLEMENT.md). The run resumes from `stage` and the
-- cursors after a crash; each chunk commits together with its cursor.
CREATE TABLE settlement_runs (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    stage TEXT NOT NULL CHECK (stage IN ('readers', 'fees', 'check', 'done')),
    -- Readers up to this id are settled; then creators up to this id have paid their fee.
    reader_cursor BIGINT NOT NULL DEFAULT 0,
    creator_cursor BIGINT NOT NULL DEFAULT 0,
    readers BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    debited_micros BIGINT NOT NULL DEFAULT 0 CHECK (debited_micros >= 0),
    fees_micros BIGINT NOT NULL DEFAULT 0 CHECK (fees_micros >= 0),
    error TEXT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);

-- What each creator and each thing earned in a settled month, for statements.
CREATE TABLE creator_month_totals (
    creator_id BIGINT NOT NULL REFERENCES users (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    gross_micros BIGINT NOT NULL CHECK (gross_micros >= 0),
    fee_micros BIGINT NOT NULL DEFAULT 0 CHECK (fee_micros >= 0),
    PRIMARY KEY (creator_id, month)
);
CREATE TABLE thing_month_totals (
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    amount_micros BIGINT NOT NULL CHECK (amount_micros >= 0),
    PRIMARY KEY (thing_id, month)
);
