-- Account deletion (docs/PRIVACY.md): the row stays, its id the pseudonym the ledger and the
-- settled statements keep; its personal columns are erased and this marks when.
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMP;
