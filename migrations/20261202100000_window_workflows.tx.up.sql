-- Assignment windows run as workflows (window-<id>). notify_client keeps
-- the creator's choice to text the client at the start, so that a window
-- whose workflow is started again (the window sweep, after Temporal lost
-- it) still sends it. The partial index serves the sweep's scan of
-- windows that have not finished.
ALTER TABLE assignment_windows ADD COLUMN notify_client boolean NOT NULL DEFAULT false;
CREATE INDEX assignment_windows_open_idx ON assignment_windows (org_id, starts_at) WHERE status IN ('scheduled', 'active');
