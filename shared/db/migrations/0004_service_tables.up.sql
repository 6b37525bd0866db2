-- Tables of the event-driven design and of the security functions.

-- Consumer idempotency: a consumer records each event it has applied, in the same
-- transaction as its effect; a redelivered event then finds its row and changes nothing.
CREATE TABLE processed_events (
    consumer     text NOT NULL CHECK (length(consumer) BETWEEN 1 AND 200),
    event_id     uuid NOT NULL,
    job_id       uuid,
    topic        text,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_idx ON processed_events (processed_at);

-- Transactional outbox: events are written with the state change that caused them and
-- published to Kafka by a relay, which sets published_at.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        text NOT NULL CHECK (length(topic) BETWEEN 1 AND 249),
    key          text,
    payload      jsonb NOT NULL,
    headers      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   text
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Downloaded sources, addressed by the SHA-256 of their content.
CREATE TABLE asset_cache (
    sha256           text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source_url       text,
    s3_bucket        text,
    s3_key           text NOT NULL,
    size_bytes       bigint NOT NULL CHECK (size_bytes >= 0),
    content_type     text,
    probe            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(probe) = 'object'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_accessed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX asset_cache_source_url_idx ON asset_cache (source_url);
CREATE INDEX asset_cache_last_accessed_idx ON asset_cache (last_accessed_at);

-- Fixed-window request counters used by check_rate_limit().
CREATE TABLE rate_limits (
    identifier     text NOT NULL,
    window_seconds integer NOT NULL CHECK (window_seconds > 0),
    window_start   timestamptz NOT NULL,
    request_count  integer NOT NULL DEFAULT 0 CHECK (request_count >= 0),
    PRIMARY KEY (identifier, window_seconds, window_start)
);
CREATE INDEX rate_limits_window_start_idx ON rate_limits (window_start);

-- Audit trail written by log_security_event().
CREATE TABLE security_events (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type text NOT NULL CHECK (length(event_type) BETWEEN 1 AND 100),
    severity   text NOT NULL DEFAULT 'warning'
               CHECK (severity IN ('info', 'warning', 'critical')),
    details    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    client_ip  inet,
    user_id    uuid,
    app_role   text,
    db_user    text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX security_events_created_idx ON security_events (created_at DESC);
CREATE INDEX security_events_type_created_idx ON security_events (event_type, created_at DESC);

GRANT SELECT, INSERT, UPDATE, DELETE ON processed_events, outbox, asset_cache, rate_limits
    TO vidgen_service, vidgen_admin;
GRANT USAGE ON SEQUENCE outbox_id_seq TO vidgen_service, vidgen_admin;
GRANT INSERT ON security_events TO vidgen_anon, vidgen_authenticated;  -- log_security_event()
GRANT SELECT, INSERT, DELETE ON security_events TO vidgen_service, vidgen_admin;
