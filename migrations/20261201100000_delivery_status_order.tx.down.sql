COMMENT ON FUNCTION delivery_status_rank(text) IS NULL;

-- The narrower set: statuses it lacks fall back to their nearest older one.
UPDATE messages SET status = CASE status
    WHEN 'accepted' THEN 'queued' WHEN 'scheduled' THEN 'queued'
    WHEN 'canceled' THEN 'failed' WHEN 'read' THEN 'delivered' END
WHERE status IN ('accepted', 'scheduled', 'canceled', 'read');
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('received', 'blocked', 'pending', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'discarded'));
