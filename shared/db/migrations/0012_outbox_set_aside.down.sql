DROP INDEX IF EXISTS outbox_unpublished_idx;
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
ALTER TABLE outbox DROP COLUMN IF EXISTS set_aside_at;
