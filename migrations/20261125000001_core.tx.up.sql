-- Organisations, people, sessions and the append-only audit trail.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE orgs (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    help_text   text NOT NULL DEFAULT '',
    timezone    text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          citext NOT NULL UNIQUE CHECK (position('@' in email) > 1),
    name           text NOT NULL,
    password_hash  text NOT NULL,
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    org_id      uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('owner', 'admin', 'sitter')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Sessions are opaque tokens; only their SHA-256 is stored.
CREATE TABLE sessions (
    id             uuid PRIMARY KEY,
    token_hash     bytea NOT NULL UNIQUE,
    csrf_token     text NOT NULL,
    user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id         uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    ip             text NOT NULL DEFAULT '',
    user_agent     text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Failed-login counters shared by every API instance.
CREATE TABLE auth_throttle (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    window_start  timestamptz NOT NULL,
    locked_until  timestamptz
);

CREATE TABLE password_reset_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Mail the product sends (password resets, alerts). In development nothing
-- leaves the machine: the owner reads it here.
CREATE TABLE notification_outbox (
    id          uuid PRIMARY KEY,
    org_id      uuid REFERENCES orgs(id) ON DELETE CASCADE,
    to_email    citext NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    transport   text NOT NULL CHECK (transport IN ('smtp', 'outbox')),
    sent_at     timestamptz,
    error       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_outbox_org_idx ON notification_outbox (org_id, created_at DESC);

-- The audit trail. Append-only: the trigger below rejects UPDATE, DELETE and
-- TRUNCATE for every role, so no code path can rewrite history.
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          uuid REFERENCES orgs(id),
    at              timestamptz NOT NULL DEFAULT now(),
    actor_type      text NOT NULL CHECK (actor_type IN ('user', 'system', 'provider', 'anonymous')),
    actor_id        text NOT NULL DEFAULT '',
    action          text NOT NULL,
    entity_type     text NOT NULL DEFAULT '',
    entity_id       text NOT NULL DEFAULT '',
    correlation_id  text NOT NULL DEFAULT '',
    ip              text NOT NULL DEFAULT '',
    detail          jsonb NOT NULL DEFAULT '{}'::jsonb,
    dedupe_key      text UNIQUE
);
CREATE INDEX audit_events_org_at_idx ON audit_events (org_id, at DESC, id DESC);
CREATE INDEX audit_events_correlation_idx ON audit_events (org_id, correlation_id) WHERE correlation_id <> '';

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
