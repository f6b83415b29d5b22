-- Money rule 6: what becomes of a month in which the reader clicked nothing. `keep` leaves the
-- budget in their funds; `charity` gives it to the charity the instance names
-- (OBOLE_CHARITY_NAME), as Flattr did. Also where their unclaimed shares go when a hold ends.
ALTER TABLE budgets ADD COLUMN unspent TEXT NOT NULL DEFAULT 'keep'
    CHECK (unspent IN ('keep', 'charity'));
-- The few readers who chose to give, found by the settlement without reading every budget.
CREATE INDEX budgets_giving ON budgets (user_id) WHERE unspent = 'charity';

-- What each idle month gave to the charity, one row per reader and month, written by the
-- settlement with its ledger movement (`settlement:<month>:donations`): the key makes
-- recording a month twice impossible. `budget_micros` is the budget that applied; the gift
-- is that budget, or the reader's funds when they held less, never more. `charity` is the
-- name it went to, as the instance named it then.
CREATE TABLE month_donations (
    month TEXT NOT NULL CHECK (length(month) = 7),
    reader_id BIGINT NOT NULL REFERENCES users (id),
    budget_micros BIGINT NOT NULL,
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0 AND amount_micros <= budget_micros),
    charity TEXT NOT NULL,
    PRIMARY KEY (month, reader_id)
);
CREATE INDEX month_donations_by_reader ON month_donations (reader_id);
