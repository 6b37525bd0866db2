DROP TABLE IF EXISTS security_events;
DROP TABLE IF EXISTS rate_limits;
DROP TABLE IF EXISTS asset_cache;
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS processed_events;
