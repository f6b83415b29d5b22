-- A click's visibility and note (PRODUCT.md flow 10), beside the click so that the click's own
-- write stays as it was. Read joined to `clicks`: a row whose click is gone shows nowhere.
CREATE TABLE click_notes (
    reader_id BIGINT NOT NULL REFERENCES users (id),
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'creator', 'public')),
    note TEXT NULL CHECK (note IS NULL OR length(note) <= 280),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (reader_id, thing_id, month)
);
-- The supporters of a thing and the public notes of a month.
CREATE INDEX click_notes_thing_month ON click_notes (thing_id, month);
