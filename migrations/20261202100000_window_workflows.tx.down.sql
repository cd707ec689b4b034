DROP INDEX assignment_windows_open_idx;
ALTER TABLE assignment_windows DROP COLUMN notify_client;
