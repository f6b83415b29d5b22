DROP TABLE stripe_events;
DROP TABLE card_payments;
DROP TABLE oauth_identities;
