-- Outbox rows the broker will never take (larger than the message limit, malformed) are
-- set aside instead of retried forever: the relay stamps set_aside_at and last_error, fails
-- the row's job, and publishes the rows behind it. Set-aside rows stay for inspection.
ALTER TABLE outbox ADD COLUMN set_aside_at timestamptz;

DROP INDEX outbox_unpublished_idx;
CREATE INDEX outbox_unpublished_idx ON outbox (id)
    WHERE published_at IS NULL AND set_aside_at IS NULL;
