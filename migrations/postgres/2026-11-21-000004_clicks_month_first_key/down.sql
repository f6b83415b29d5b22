ALTER TABLE clicks ADD CONSTRAINT clicks_reader_id_thing_id_month_key UNIQUE (reader_id, thing_id, month);
CREATE INDEX clicks_month_reader ON clicks (month, reader_id);
CREATE INDEX clicks_thing_month ON clicks (thing_id, month);
ALTER TABLE clicks DROP CONSTRAINT clicks_once;
