DELETE FROM mail_outbox WHERE user_id IS NULL;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_recipient;
ALTER TABLE mail_outbox ALTER COLUMN user_id SET NOT NULL;
DROP TABLE oauth_signups;
ALTER TABLE settlement_runs DROP COLUMN fee_percent;
DROP TABLE months;
