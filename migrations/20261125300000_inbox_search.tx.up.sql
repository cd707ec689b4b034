-- The inbox at 100,000 threads and 1,000,000 messages.
--
-- Listing: each filter the inbox offers gets a partial index in the list's
-- own order (org, last activity, id), so a filtered page is read straight
-- off an index and stops after one page however rare the filter is.
-- (Unread and per-sitter lists already have threads_org_unread_idx and
-- threads_org_sitter_idx.)
CREATE INDEX threads_org_violations_idx ON threads (org_id, last_message_at DESC, id DESC) WHERE open_violations > 0;
CREATE INDEX threads_org_failures_idx ON threads (org_id, last_message_at DESC, id DESC) WHERE failed_deliveries > 0;
CREATE INDEX threads_org_unassigned_idx ON threads (org_id, last_message_at DESC, id DESC) WHERE assigned_sitter_id IS NULL;
CREATE INDEX threads_org_assigned_idx ON threads (org_id, last_message_at DESC, id DESC) WHERE assigned_sitter_id IS NOT NULL;

-- Searching: part of a phone number ("555-0101") finds the client, and part
-- of a word anywhere in a message ("doodle" in "labradoodle", an email
-- address) complements the prefix full-text search on messages.body_tsv.
CREATE INDEX clients_phone_trgm_idx ON clients USING gin (phone_e164 gin_trgm_ops);
CREATE INDEX messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops);
