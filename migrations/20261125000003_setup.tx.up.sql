-- The setup wizard's progress (mirrored from the setup workflow for the
-- dashboard) and number quarantines.
CREATE TABLE setup_progress (
    org_id        uuid PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    current_step  text NOT NULL,
    steps         jsonb NOT NULL DEFAULT '{}'::jsonb,
    diagnostics   boolean NOT NULL DEFAULT false,
    completed_at  timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE quarantines (
    id                     uuid PRIMARY KEY,
    org_id                 uuid NOT NULL,
    number_id              uuid NOT NULL,
    replacement_number_id  uuid,
    status                 text NOT NULL CHECK (status IN ('cooling_down', 'restored', 'returned_to_pool', 'released')),
    end_action             text NOT NULL CHECK (end_action IN ('return_to_pool', 'release')),
    notify_clients         boolean NOT NULL DEFAULT false,
    reason                 text NOT NULL DEFAULT '',
    impact                 jsonb NOT NULL DEFAULT '{}'::jsonb,
    cooldown_ends_at       timestamptz NOT NULL,
    created_by             uuid,
    created_at             timestamptz NOT NULL DEFAULT now(),
    finished_at            timestamptz,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, number_id) REFERENCES phone_numbers (org_id, id),
    FOREIGN KEY (org_id, replacement_number_id) REFERENCES phone_numbers (org_id, id)
);
CREATE UNIQUE INDEX quarantines_one_live_idx ON quarantines (number_id) WHERE status = 'cooling_down';

-- Threads moved off a quarantined number keep answering texts that arrive at
-- the old number during the cooldown.
CREATE TABLE thread_number_moves (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          uuid NOT NULL,
    thread_id       uuid NOT NULL,
    from_number_id  uuid NOT NULL,
    to_number_id    uuid NOT NULL,
    quarantine_id   uuid,
    moved_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (org_id, thread_id) REFERENCES threads (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, from_number_id) REFERENCES phone_numbers (org_id, id),
    FOREIGN KEY (org_id, to_number_id) REFERENCES phone_numbers (org_id, id)
);
CREATE INDEX thread_number_moves_from_idx ON thread_number_moves (org_id, from_number_id);
