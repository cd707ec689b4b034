-- People: sign-ups waiting for their email to be verified, invitations to
-- the team, members who were deactivated, sitter profiles, and the client
-- book (several phones, one primary; email, address, tags, pets, consent,
-- archive).

-- A sign-up creates its org and owner at once; the owner stays disabled
-- (users.disabled_at) until the emailed token is used. Only the token's
-- SHA-256 is stored. One email has at most one sign-up in flight.
CREATE TABLE signups (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email        citext NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    expires_at   timestamptz NOT NULL,
    verified_at  timestamptz,
    ip           text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id)
);
CREATE UNIQUE INDEX signups_one_in_flight_idx ON signups (email) WHERE verified_at IS NULL;

-- Invitations to join an org as an admin or a sitter. Single use: accepting
-- stamps accepted_at; revoking stamps revoked_at; resending replaces the
-- token (the old link stops working) and the expiry.
CREATE TABLE invitations (
    id                uuid PRIMARY KEY,
    org_id            uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email             citext NOT NULL CHECK (position('@' in email) > 1),
    name              text NOT NULL DEFAULT '',
    role              text NOT NULL CHECK (role IN ('admin', 'sitter')),
    sitter_id         uuid,
    token_hash        bytea NOT NULL UNIQUE,
    expires_at        timestamptz NOT NULL,
    invited_by        uuid REFERENCES users(id) ON DELETE SET NULL,
    sent_count        integer NOT NULL DEFAULT 1,
    last_sent_at      timestamptz NOT NULL DEFAULT now(),
    accepted_at       timestamptz,
    accepted_user_id  uuid REFERENCES users(id) ON DELETE SET NULL,
    revoked_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, sitter_id) REFERENCES sitters (org_id, id),
    CHECK (role = 'sitter' OR sitter_id IS NULL)
);
CREATE UNIQUE INDEX invitations_one_open_idx ON invitations (org_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at DESC, id DESC);

-- A deactivated member keeps their row (and their history) but can no
-- longer sign in to the org.
ALTER TABLE memberships ADD COLUMN deactivated_at timestamptz;

-- The name clients see on a sitter's texts.
ALTER TABLE sitters ADD COLUMN display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 100);

-- The client book.
ALTER TABLE clients
    ADD COLUMN email           citext NOT NULL DEFAULT '',
    ADD COLUMN address         text NOT NULL DEFAULT '',
    ADD COLUMN tags            text[] NOT NULL DEFAULT '{}',
    ADD COLUMN notes           text NOT NULL DEFAULT '',
    ADD COLUMN archived_at     timestamptz,
    -- Consent: opted_out_at/opted_out_keyword (migration 2) say whether
    -- texts are blocked; these say who changed it last and when:
    -- first_text (the client texted in), keyword (STOP/START), staff,
    -- import, merge.
    ADD COLUMN consent_source  text NOT NULL DEFAULT 'first_text'
        CHECK (consent_source IN ('first_text', 'keyword', 'staff', 'import', 'merge')),
    ADD COLUMN consent_at      timestamptz;
UPDATE clients SET consent_source = 'keyword', consent_at = opted_out_at WHERE opted_out_at IS NOT NULL;
UPDATE clients SET consent_at = created_at WHERE consent_at IS NULL;
ALTER TABLE clients ALTER COLUMN consent_at SET DEFAULT now(), ALTER COLUMN consent_at SET NOT NULL;
CREATE INDEX clients_org_name_idx ON clients (org_id, name, id);
CREATE INDEX clients_email_trgm_idx ON clients USING gin (email gin_trgm_ops);

-- Every phone of a client. A phone belongs to one client of the org (the
-- unique constraint is what refuses a duplicate, naming no one; the
-- service names the holder). One primary per client, mirrored in
-- clients.phone_e164, which inbound routing and the inbox read.
CREATE TABLE client_phones (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    client_id   uuid NOT NULL,
    e164        text NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{1,14}$'),
    label       text NOT NULL DEFAULT '' CHECK (length(label) <= 40),
    is_primary  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    CONSTRAINT client_phones_org_e164_key UNIQUE (org_id, e164),
    FOREIGN KEY (org_id, client_id) REFERENCES clients (org_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX client_phones_one_primary_idx ON client_phones (org_id, client_id) WHERE is_primary;
CREATE INDEX client_phones_e164_trgm_idx ON client_phones USING gin (e164 gin_trgm_ops);

INSERT INTO client_phones (id, org_id, client_id, e164, is_primary, created_at)
SELECT gen_random_uuid(), org_id, id, phone_e164, true, created_at FROM clients;

-- A client's primary phone always has its row: whoever inserts a client
-- (an inbound text, the seed, an import) inserts it too, and fails on the
-- unique constraint when another client holds the phone.
CREATE FUNCTION clients_primary_phone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO client_phones (id, org_id, client_id, e164, is_primary, created_at)
    VALUES (gen_random_uuid(), NEW.org_id, NEW.id, NEW.phone_e164, true, NEW.created_at);
    RETURN NEW;
END;
$$;
CREATE TRIGGER clients_primary_phone AFTER INSERT ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_primary_phone();

CREATE TABLE client_pets (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    client_id   uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    notes       text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, client_id) REFERENCES clients (org_id, id) ON DELETE CASCADE
);
CREATE INDEX client_pets_client_idx ON client_pets (org_id, client_id, position);
