DROP INDEX IF EXISTS numinv_thread_number_moves_thread_idx;
DROP INDEX IF EXISTS numinv_thread_number_moves_once_idx;
DROP INDEX IF EXISTS numinv_quarantines_number_idx;
DROP INDEX IF EXISTS numinv_messages_inbound_to_idx;
DROP INDEX IF EXISTS numinv_messages_outbound_from_idx;
DROP INDEX IF EXISTS numinv_message_attempts_started_idx;
