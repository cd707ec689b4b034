-- Number inventory and quarantine: indexes for the inventory's one grouped
-- health/volume query, and a key that makes a quarantine's thread moves
-- idempotent (a retried activity moves each thread once).

-- 7-day delivery attempts per org, joined to their message by primary key.
CREATE INDEX numinv_message_attempts_started_idx ON message_attempts (org_id, started_at);
-- Last use and 7-day volume per number: outbound by sender, inbound by recipient.
CREATE INDEX numinv_messages_outbound_from_idx ON messages (org_id, from_e164, created_at DESC) WHERE direction = 'outbound';
CREATE INDEX numinv_messages_inbound_to_idx ON messages (org_id, to_e164, created_at DESC) WHERE direction = 'inbound';
-- A number's quarantine history, newest first.
CREATE INDEX numinv_quarantines_number_idx ON quarantines (org_id, number_id, created_at DESC);
-- Each thread moves at most once per quarantine.
CREATE UNIQUE INDEX numinv_thread_number_moves_once_idx ON thread_number_moves (quarantine_id, thread_id) WHERE quarantine_id IS NOT NULL;
-- Inbound texts to a quarantined number find the moved thread by client.
CREATE INDEX numinv_thread_number_moves_thread_idx ON thread_number_moves (org_id, thread_id);
