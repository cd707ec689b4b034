DROP TABLE client_pets;
DROP TRIGGER clients_primary_phone ON clients;
DROP FUNCTION clients_primary_phone();
DROP TABLE client_phones;
DROP INDEX clients_email_trgm_idx;
DROP INDEX clients_org_name_idx;
ALTER TABLE clients DROP COLUMN email, DROP COLUMN address, DROP COLUMN tags, DROP COLUMN notes,
    DROP COLUMN archived_at, DROP COLUMN consent_source, DROP COLUMN consent_at;
ALTER TABLE sitters DROP COLUMN display_name;
ALTER TABLE memberships DROP COLUMN deactivated_at;
DROP TABLE invitations;
DROP TABLE signups;
