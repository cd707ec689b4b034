-- Routing the owner controls: an org's ordered routing rules (the three
-- built-in ones and the owner's own), the ruleset's version (every change
-- bumps it, and each message's trace names the version that routed it), a
-- snapshot of every version, and overrides that end as recorded events.

CREATE TABLE routing_rulesets (
    org_id      uuid PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    version     bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid
);

CREATE TABLE routing_rules (
    id                uuid PRIMARY KEY,
    org_id            uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    kind              text NOT NULL CHECK (kind IN ('override', 'sitter_window', 'owner_inbox', 'custom')),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    enabled           boolean NOT NULL DEFAULT true,
    priority          integer NOT NULL,
    -- The custom rule's conditions (routing.Conditions as JSON).
    conditions        jsonb NOT NULL DEFAULT '{}'::jsonb,
    target_kind       text CHECK (target_kind IN ('owner_inbox', 'sitter', 'window_sitter')),
    target_sitter_id  uuid,
    -- Evaluation counts: texts this rule routed, and the last one's time.
    routed_count      bigint NOT NULL DEFAULT 0,
    last_fired_at     timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, target_sitter_id) REFERENCES sitters (org_id, id),
    CHECK ((kind = 'custom') = (target_kind IS NOT NULL)),
    CHECK ((target_kind = 'sitter') = (target_sitter_id IS NOT NULL)),
    -- The override rule and the owner inbox cannot be turned off.
    CHECK (enabled OR kind NOT IN ('override', 'owner_inbox'))
);
-- One of each built-in rule per org.
CREATE UNIQUE INDEX routing_rules_builtin_key ON routing_rules (org_id, kind) WHERE kind <> 'custom';
CREATE INDEX routing_rules_org_priority_idx ON routing_rules (org_id, priority, id);

CREATE TABLE routing_rule_versions (
    org_id      uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    version     bigint NOT NULL,
    -- The whole ruleset at this version (routing.Ruleset's rules as JSON).
    rules       jsonb NOT NULL,
    change      text NOT NULL,
    changed_by  uuid,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, version)
);

-- routing_defaults gives an org its built-in rules at version 1, once.
CREATE FUNCTION routing_defaults(org uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO routing_rulesets (org_id, version) VALUES (org, 1) ON CONFLICT DO NOTHING;
    INSERT INTO routing_rules (id, org_id, kind, name, priority) VALUES
        (gen_random_uuid(), org, 'override', 'Active override', 10),
        (gen_random_uuid(), org, 'sitter_window', 'Sitter with an active window', 20),
        (gen_random_uuid(), org, 'owner_inbox', 'Owner inbox', 30)
    ON CONFLICT DO NOTHING;
    INSERT INTO routing_rule_versions (org_id, version, rules, change)
    SELECT org, 1, jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'kind', r.kind, 'enabled', r.enabled,
               'priority', r.priority, 'when', r.conditions, 'target', jsonb_build_object('kind', '')) ORDER BY r.priority),
           'The built-in rules.'
    FROM routing_rules r WHERE r.org_id = org
    ON CONFLICT DO NOTHING;
END $$;

CREATE FUNCTION routing_defaults_for_new_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM routing_defaults(NEW.id);
    RETURN NEW;
END $$;

CREATE TRIGGER orgs_routing_defaults AFTER INSERT ON orgs
    FOR EACH ROW EXECUTE FUNCTION routing_defaults_for_new_org();

SELECT routing_defaults(id) FROM orgs;

-- Overrides end, by expiry or by the owner, as a recorded event; none is
-- permanent (at most 31 days; older rows are left as they were).
ALTER TABLE routing_overrides
    ADD COLUMN ended_at      timestamptz,
    ADD COLUMN end_reason    text NOT NULL DEFAULT '' CHECK (end_reason IN ('', 'expired', 'cancelled')),
    ADD COLUMN cancelled_by  uuid,
    ADD CONSTRAINT routing_overrides_bounded CHECK (ends_at - starts_at <= interval '31 days') NOT VALID;
CREATE INDEX routing_overrides_org_ends_idx ON routing_overrides (org_id, ends_at DESC, id);
