-- Transparency (PRODUCT.md, docs/TRANSPARENCY.md): each settled month's Merkle tree head, over
-- one leaf per charged reader in ascending reader id (RFC 6962), written by the settlement in
-- the creators stage's last transaction and checked by its self-check. `root` is lower-case
-- hex; `chunk_roots` the roots of the aligned chunks of 1024 leaves, 32 bytes each, so that a
-- receipt's audit path is found without reading every leaf. `signature` is the hex Ed25519
-- signature of the head's text and `signing_key` the hex public key that made it, when the
-- instance signs (NULL otherwise).
CREATE TABLE settlement_heads (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    tree_size BIGINT NOT NULL CHECK (tree_size >= 0),
    root TEXT NOT NULL CHECK (length(root) = 64),
    chunk_roots BYTEA NOT NULL,
    readers BIGINT NOT NULL CHECK (readers >= 0),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    debited_micros BIGINT NOT NULL CHECK (debited_micros >= 0),
    gross_micros BIGINT NOT NULL CHECK (gross_micros >= 0),
    fees_micros BIGINT NOT NULL CHECK (fees_micros >= 0),
    held_micros BIGINT NOT NULL CHECK (held_micros >= 0),
    fee_percent TEXT NOT NULL,
    signature TEXT,
    signing_key TEXT CHECK (signing_key IS NULL OR length(signing_key) = 64),
    created_at TIMESTAMP NOT NULL
);

-- The month's leaves, 1024 a row: the readers' ids (8 bytes each, big-endian) and their leaf
-- hashes (32 bytes each), in leaf order. A reader's row is the last whose first reader is not
-- after them; a thousand rows hold a month of a million readers.
CREATE TABLE settlement_leaves (
    month TEXT NOT NULL REFERENCES settlement_heads (month),
    chunk BIGINT NOT NULL CHECK (chunk >= 0),
    first_reader_id BIGINT NOT NULL,
    readers BYTEA NOT NULL,
    hashes BYTEA NOT NULL,
    PRIMARY KEY (month, chunk)
);
CREATE UNIQUE INDEX settlement_leaves_by_reader ON settlement_leaves (month, first_reader_id);
-- Hashes do not compress: storing them as they are spares the compressor a try per row.
ALTER TABLE settlement_leaves ALTER COLUMN hashes SET STORAGE EXTERNAL;
ALTER TABLE settlement_heads ALTER COLUMN chunk_roots SET STORAGE EXTERNAL;
