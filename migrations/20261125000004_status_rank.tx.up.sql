-- Delivery statuses only move forward: queued < sending < sent < delivered,
-- with failed/undelivered final for an attempt. This function is the one
-- ranking used by SQL (the Go twin is workflows.StatusRank).
CREATE FUNCTION delivery_status_rank(status text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE status
        WHEN 'pending' THEN 0
        WHEN 'accepted' THEN 1 WHEN 'scheduled' THEN 1
        WHEN 'queued' THEN 2
        WHEN 'sending' THEN 3
        WHEN 'sent' THEN 4
        WHEN 'delivered' THEN 5 WHEN 'undelivered' THEN 5 WHEN 'failed' THEN 5 WHEN 'canceled' THEN 5
        WHEN 'read' THEN 6
        ELSE -1 END
$$;
