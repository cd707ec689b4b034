-- Diagnostics: the owner's one switch that shows provider internals (SIDs,
-- webhook URLs, raw provider error codes) in the dashboard. Off by default;
-- before this it lived in the setup wizard's state, which refuses changes
-- once setup is complete.
ALTER TABLE orgs ADD COLUMN diagnostics boolean NOT NULL DEFAULT false;
