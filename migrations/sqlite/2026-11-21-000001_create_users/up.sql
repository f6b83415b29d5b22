-- Accounts and API tokens. Timestamps are UTC.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    password_hash TEXT,
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    locale TEXT NOT NULL CHECK (locale IN ('en', 'fr')),
    is_operator BOOLEAN NOT NULL DEFAULT FALSE,
    email_verified_at TIMESTAMP,
    -- Raised by "log out everywhere": sessions signed with an older epoch are refused.
    session_epoch BIGINT NOT NULL DEFAULT 0 CHECK (session_epoch >= 0),
    created_at TIMESTAMP NOT NULL
);

-- Only the SHA-256 of a token is kept: a leaked table cannot be replayed.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);
