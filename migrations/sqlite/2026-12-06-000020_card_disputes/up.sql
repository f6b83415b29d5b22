-- Card disputes (chargebacks, issue 24): Stripe's charge.dispute.created / .closed events,
-- handled like refunds (docs/LEDGER.md): the disputed amount leaves the reader's unspent
-- funds (funds → card_payments, key card_dispute:<id>:opened), the part already spent is the
-- platform's shortfall; a dispute won gives the debited part back (key card_dispute:<id>:won).
CREATE TABLE card_disputes (
    id INTEGER PRIMARY KEY,
    -- Stripe's dispute id (dp_…): one row per dispute, whatever order its events come in.
    dispute_id TEXT NOT NULL UNIQUE CHECK (length(dispute_id) BETWEEN 1 AND 255),
    payment_id BIGINT NOT NULL REFERENCES card_payments (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0 AND amount_micros % 10000 = 0),
    -- What left the reader's funds, and what they had already spent (the platform bears it).
    debited_micros BIGINT NOT NULL CHECK (debited_micros >= 0),
    shortfall_micros BIGINT NOT NULL CHECK (shortfall_micros >= 0),
    state TEXT NOT NULL CHECK (state IN ('open', 'won', 'lost')),
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    CHECK (debited_micros + shortfall_micros <= amount_micros),
    CHECK ((state = 'open') = (closed_at IS NULL))
);
CREATE INDEX card_disputes_payment ON card_disputes (payment_id);
CREATE INDEX card_disputes_state ON card_disputes (state, id);
