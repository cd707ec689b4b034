DROP INDEX IF EXISTS routing_overrides_org_ends_idx;
ALTER TABLE routing_overrides
    DROP CONSTRAINT IF EXISTS routing_overrides_bounded,
    DROP COLUMN IF EXISTS cancelled_by,
    DROP COLUMN IF EXISTS end_reason,
    DROP COLUMN IF EXISTS ended_at;
DROP TRIGGER IF EXISTS orgs_routing_defaults ON orgs;
DROP FUNCTION IF EXISTS routing_defaults_for_new_org();
DROP FUNCTION IF EXISTS routing_defaults(uuid);
DROP TABLE IF EXISTS routing_rule_versions;
DROP TABLE IF EXISTS routing_rules;
DROP TABLE IF EXISTS routing_rulesets;
