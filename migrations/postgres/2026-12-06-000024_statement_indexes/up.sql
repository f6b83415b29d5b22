-- A creator's statement (its page and its monthly mail) reads the month's things and holds by
-- creator. Without these, each statement went through all the month's things and holds: with
-- 40,000 things, 135 creator statement mails a second, against about 1,000 for readers'
-- (docs/PERFORMANCE.md, "mail at scale").
CREATE INDEX thing_month_totals_creator ON thing_month_totals (creator_id, month);
CREATE INDEX holds_creator ON holds (creator_id, month);
CREATE INDEX holds_released_to ON holds (released_to, month) WHERE released_to IS NOT NULL;
