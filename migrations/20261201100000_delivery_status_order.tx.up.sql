-- A message takes the status of its current attempt, so it must accept every
-- status of the delivery order (contract.StatusRank in Go, mirrored by
-- delivery_status_rank): also accepted and scheduled (a Messaging Service's
-- first statuses), canceled (a scheduled text called off) and read (a read
-- receipt). Before this, such a callback failed the message's update.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN (
    'received', 'blocked', 'discarded',
    'pending', 'accepted', 'scheduled', 'queued', 'sending', 'sent',
    'delivered', 'undelivered', 'failed', 'canceled', 'read'));

COMMENT ON FUNCTION delivery_status_rank(text) IS
    'Rank of a delivery status; mirrors contract.StatusRank (a store test checks every status).';
