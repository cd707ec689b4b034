DROP INDEX IF EXISTS messages_body_trgm_idx;
DROP INDEX IF EXISTS clients_phone_trgm_idx;
DROP INDEX IF EXISTS threads_org_assigned_idx;
DROP INDEX IF EXISTS threads_org_unassigned_idx;
DROP INDEX IF EXISTS threads_org_failures_idx;
DROP INDEX IF EXISTS threads_org_violations_idx;
