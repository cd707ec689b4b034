-- The messaging core: provider accounts, numbers, people, threads, messages,
-- delivery attempts, webhook receipts, policy violations and alerts.
-- Every org-owned table has UNIQUE (org_id, id) so that references between
-- org-owned rows carry the org: a cross-org reference cannot be stored.

-- One Twilio account per org. The auth token (or API key secret) is stored
-- only as AES-256-GCM ciphertext with the ID of the key that sealed it.
CREATE TABLE provider_accounts (
    org_id              uuid PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    account_sid         text NOT NULL UNIQUE CHECK (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
    api_key_sid         text NOT NULL DEFAULT '',
    secret_ciphertext   bytea NOT NULL,
    secret_key_id       text NOT NULL,
    friendly_name       text NOT NULL DEFAULT '',
    connected_at        timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sitters (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id     uuid REFERENCES users(id) ON DELETE SET NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    phone_e164  text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (org_id, user_id)
);
CREATE INDEX sitters_name_trgm_idx ON sitters USING gin (name gin_trgm_ops);

CREATE TABLE clients (
    id                 uuid PRIMARY KEY,
    org_id             uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name               text NOT NULL,
    phone_e164         text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    opted_out_at       timestamptz,
    opted_out_keyword  text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (org_id, phone_e164)
);
CREATE INDEX clients_name_trgm_idx ON clients USING gin (name gin_trgm_ops);

CREATE TABLE phone_numbers (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    e164                text NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{1,14}$'),
    provider_sid        text NOT NULL DEFAULT '',
    class               text NOT NULL CHECK (class IN ('front_desk', 'sitter', 'pool')),
    status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'quarantined', 'inactive', 'released')),
    sitter_id           uuid,
    friendly_name       text NOT NULL DEFAULT '',
    webhook_status      text NOT NULL DEFAULT 'pending' CHECK (webhook_status IN ('pending', 'installed', 'verified', 'failed')),
    webhook_error       text NOT NULL DEFAULT '',
    webhook_checked_at  timestamptz,
    monthly_cost        text NOT NULL DEFAULT '',
    last_used_at        timestamptz,
    quarantined_at      timestamptz,
    cooldown_ends_at    timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    released_at         timestamptz,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, sitter_id) REFERENCES sitters (org_id, id),
    CHECK (class <> 'sitter' OR sitter_id IS NOT NULL OR status <> 'active')
);
-- A number belongs to one org at a time (released numbers may come back).
CREATE UNIQUE INDEX phone_numbers_e164_live_idx ON phone_numbers (e164) WHERE status <> 'released';
CREATE UNIQUE INDEX phone_numbers_provider_sid_idx ON phone_numbers (provider_sid) WHERE provider_sid <> '' AND status <> 'released';
CREATE UNIQUE INDEX phone_numbers_one_front_desk_idx ON phone_numbers (org_id) WHERE class = 'front_desk' AND status = 'active';
CREATE INDEX phone_numbers_org_idx ON phone_numbers (org_id, class, status);

CREATE TABLE number_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid NOT NULL,
    number_id   uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    actor_id    text NOT NULL DEFAULT '',
    FOREIGN KEY (org_id, number_id) REFERENCES phone_numbers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX number_events_number_idx ON number_events (org_id, number_id, at DESC);

-- Assignment windows: which sitter looks after which client, when. A client
-- has at most one sitter at any instant (exclusion constraint).
CREATE TABLE assignment_windows (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    sitter_id   uuid NOT NULL,
    client_id   uuid NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'active', 'ended', 'cancelled')),
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, sitter_id) REFERENCES sitters (org_id, id),
    FOREIGN KEY (org_id, client_id) REFERENCES clients (org_id, id),
    CHECK (ends_at > starts_at),
    EXCLUDE USING gist (org_id WITH =, client_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX assignment_windows_sitter_idx ON assignment_windows (org_id, sitter_id, ends_at);
CREATE INDEX assignment_windows_client_idx ON assignment_windows (org_id, client_id, ends_at);

CREATE TABLE threads (
    id                    uuid PRIMARY KEY,
    org_id                uuid NOT NULL,
    client_id             uuid NOT NULL,
    number_id             uuid NOT NULL,
    assigned_sitter_id    uuid,
    last_message_at       timestamptz NOT NULL DEFAULT now(),
    last_message_preview  text NOT NULL DEFAULT '',
    owner_unread_count    integer NOT NULL DEFAULT 0 CHECK (owner_unread_count >= 0),
    sitter_unread_count   integer NOT NULL DEFAULT 0 CHECK (sitter_unread_count >= 0),
    open_violations       integer NOT NULL DEFAULT 0 CHECK (open_violations >= 0),
    failed_deliveries     integer NOT NULL DEFAULT 0 CHECK (failed_deliveries >= 0),
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (org_id, client_id, number_id),
    FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, client_id) REFERENCES clients (org_id, id),
    FOREIGN KEY (org_id, number_id) REFERENCES phone_numbers (org_id, id),
    FOREIGN KEY (org_id, assigned_sitter_id) REFERENCES sitters (org_id, id)
);
CREATE INDEX threads_org_activity_idx ON threads (org_id, last_message_at DESC, id DESC);
CREATE INDEX threads_org_unread_idx ON threads (org_id, last_message_at DESC, id DESC) WHERE owner_unread_count > 0;
CREATE INDEX threads_org_sitter_idx ON threads (org_id, assigned_sitter_id, last_message_at DESC, id DESC);
CREATE INDEX threads_number_idx ON threads (org_id, number_id);

CREATE TABLE routing_overrides (
    id                uuid PRIMARY KEY,
    org_id            uuid NOT NULL,
    thread_id         uuid NOT NULL,
    target_kind       text NOT NULL CHECK (target_kind IN ('owner_inbox', 'sitter')),
    target_sitter_id  uuid,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    reason            text NOT NULL,
    created_by        uuid,
    cancelled_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, thread_id) REFERENCES threads (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, target_sitter_id) REFERENCES sitters (org_id, id),
    CHECK (ends_at > starts_at),
    CHECK (target_kind <> 'sitter' OR target_sitter_id IS NOT NULL)
);
CREATE INDEX routing_overrides_thread_idx ON routing_overrides (org_id, thread_id, ends_at);

CREATE TABLE messages (
    id                   uuid PRIMARY KEY,
    org_id               uuid NOT NULL,
    thread_id            uuid NOT NULL,
    direction            text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    sender_type          text NOT NULL CHECK (sender_type IN ('client', 'owner', 'admin', 'sitter', 'automation', 'system')),
    sender_user_id       uuid,
    sender_sitter_id     uuid,
    body                 text NOT NULL DEFAULT '',
    media                jsonb NOT NULL DEFAULT '[]'::jsonb,
    provider_sid         text UNIQUE,
    from_e164            text NOT NULL DEFAULT '',
    to_e164              text NOT NULL DEFAULT '',
    status               text NOT NULL CHECK (status IN ('received', 'blocked', 'pending', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'discarded')),
    error_code           integer,
    error_message        text NOT NULL DEFAULT '',
    encoding             text NOT NULL DEFAULT 'GSM-7',
    segments             integer NOT NULL DEFAULT 1,
    attempts             integer NOT NULL DEFAULT 0,
    routing              jsonb,
    routed_to_sitter_id  uuid,
    correlation_id       text NOT NULL DEFAULT '',
    dead_lettered_at     timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    body_tsv             tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, thread_id) REFERENCES threads (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, sender_sitter_id) REFERENCES sitters (org_id, id),
    FOREIGN KEY (org_id, routed_to_sitter_id) REFERENCES sitters (org_id, id)
);
CREATE INDEX messages_thread_idx ON messages (org_id, thread_id, created_at DESC, id DESC);
CREATE INDEX messages_body_tsv_idx ON messages USING gin (body_tsv);
CREATE INDEX messages_dead_letter_idx ON messages (org_id, dead_lettered_at DESC) WHERE dead_lettered_at IS NOT NULL AND status <> 'discarded';

-- One row per send to the provider. Status callbacks find their message here.
CREATE TABLE message_attempts (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    message_id     uuid NOT NULL,
    attempt        integer NOT NULL CHECK (attempt >= 1),
    provider_sid   text UNIQUE,
    status         text NOT NULL,
    error_code     integer,
    error_message  text NOT NULL DEFAULT '',
    trigger        text NOT NULL DEFAULT 'automatic',
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    UNIQUE (org_id, id),
    UNIQUE (message_id, attempt),
    FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE
);

-- Every webhook is written here before it is acknowledged. The dedupe key is
-- the MessageSid for inbound texts and MessageSid/MessageStatus for status
-- callbacks, so a redelivered webhook is stored once.
CREATE TABLE webhook_receipts (
    id                   uuid PRIMARY KEY,
    org_id               uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind                 text NOT NULL CHECK (kind IN ('sms', 'status')),
    dedupe_key           text NOT NULL,
    message_sid          text NOT NULL,
    payload              jsonb NOT NULL,
    correlation_id       text NOT NULL,
    received_at          timestamptz NOT NULL DEFAULT now(),
    dispatched_at        timestamptz,
    processed_at         timestamptz,
    dispatch_error       text NOT NULL DEFAULT '',
    UNIQUE (kind, dedupe_key)
);
CREATE INDEX webhook_receipts_undispatched_idx ON webhook_receipts (received_at) WHERE dispatched_at IS NULL;

CREATE TABLE policy_violations (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    message_id     uuid NOT NULL,
    thread_id      uuid NOT NULL,
    sitter_id      uuid,
    kinds          text[] NOT NULL,
    excerpts       jsonb NOT NULL DEFAULT '[]'::jsonb,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'overridden')),
    reviewed_by    uuid,
    review_reason  text NOT NULL DEFAULT '',
    reviewed_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (message_id),
    FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, thread_id) REFERENCES threads (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, sitter_id) REFERENCES sitters (org_id, id)
);
CREATE INDEX policy_violations_org_idx ON policy_violations (org_id, status, created_at DESC);

CREATE TABLE alerts (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    severity     text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    kind         text NOT NULL,
    title        text NOT NULL,
    detail       text NOT NULL DEFAULT '',
    entity_type  text NOT NULL DEFAULT '',
    entity_id    text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved', 'dismissed')),
    dedupe_key   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    closed_at    timestamptz,
    closed_by    uuid,
    UNIQUE (org_id, id)
);
CREATE UNIQUE INDEX alerts_open_dedupe_idx ON alerts (org_id, dedupe_key) WHERE status IN ('open', 'acknowledged');
CREATE INDEX alerts_org_idx ON alerts (org_id, status, created_at DESC);
