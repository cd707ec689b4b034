DROP TABLE IF EXISTS pending_credentials;
