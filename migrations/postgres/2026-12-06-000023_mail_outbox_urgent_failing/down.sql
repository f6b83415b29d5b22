DROP INDEX mail_outbox_failing;
DROP INDEX mail_outbox_urgent_due;
