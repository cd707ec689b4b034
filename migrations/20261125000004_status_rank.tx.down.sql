DROP FUNCTION IF EXISTS delivery_status_rank(text);
