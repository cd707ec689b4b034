ALTER TABLE orgs DROP COLUMN diagnostics;
