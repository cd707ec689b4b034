-- A thread move recorded for a quarantine names a quarantine of the same
-- org, like every other reference between org-owned rows.
ALTER TABLE thread_number_moves
    ADD CONSTRAINT thread_number_moves_quarantine_fk FOREIGN KEY (org_id, quarantine_id) REFERENCES quarantines (org_id, id);
