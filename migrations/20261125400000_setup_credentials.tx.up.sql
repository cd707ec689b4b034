-- Provider credentials waiting to be checked by the setup wizard. The API
-- seals what the owner typed (AES-256-GCM, key ID beside the ciphertext)
-- into a row here and hands the setup workflow only the row's ID, so no
-- secret is ever written into Temporal's history. The workflow's activity
-- checks the credentials against the provider, then moves the ciphertext
-- into provider_accounts (or drops it when the provider refuses). Rows live
-- minutes: anything past expires_at is unusable and purged.
CREATE TABLE pending_credentials (
    id                 uuid PRIMARY KEY,
    org_id             uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    account_sid        text NOT NULL CHECK (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
    api_key_sid        text NOT NULL DEFAULT '',
    secret_ciphertext  bytea NOT NULL,
    secret_key_id      text NOT NULL,
    created_by         uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    UNIQUE (org_id, id)
);
CREATE INDEX pending_credentials_expiry_idx ON pending_credentials (org_id, expires_at);
