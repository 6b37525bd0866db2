-- The six core tables of the seed schema, plus api_keys (job ownership).
-- Every table is written by one service per column; see the comments for the owner.

-- API keys (ingest). Only a SHA-256 hex digest of the key is stored.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key_hash     text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    key_prefix   text,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         text NOT NULL DEFAULT 'authenticated'
                 CHECK (role IN ('authenticated', 'service_account', 'admin')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);

-- Jobs: one rendered video each. Owner: anonymous (client_ip) or an API key (api_key_id).
CREATE TABLE jobs (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status              job_status NOT NULL DEFAULT 'pending',
    current_step        processing_step,
    progress_percentage smallint NOT NULL DEFAULT 0
                        CHECK (progress_percentage BETWEEN 0 AND 100),
    output_format       text NOT NULL DEFAULT 'mp4'
                        CHECK (output_format IN ('mp4', 'mov', 'webm', 'avi', 'gif')),
    width               integer NOT NULL CHECK (width BETWEEN 1 AND 7680),
    height              integer NOT NULL CHECK (height BETWEEN 1 AND 4320),
    fps                 numeric(6, 3) NOT NULL DEFAULT 30 CHECK (fps > 0 AND fps <= 120),
    duration            numeric(10, 3) CHECK (duration > 0),
    spec                jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(spec) = 'object'),
    response_type       response_type NOT NULL DEFAULT 'async',
    client_ip           inet,
    api_key_id          uuid REFERENCES api_keys (id) ON DELETE RESTRICT,
    user_agent          text,
    idempotency_key     text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    -- Who the idempotency key belongs to: the API key, else the client IP.
    owner_key           text GENERATED ALWAYS AS (
                            COALESCE('key:' || api_key_id::text, 'ip:' || host(client_ip))
                        ) STORED,
    callback_url        text CHECK (callback_url ~* '^https?://'),
    result_url          text,
    s3_bucket           text,
    s3_key              text,
    file_size           bigint CHECK (file_size >= 0),
    processing_time_ms  integer CHECK (processing_time_ms >= 0),
    estimated_time_ms   integer CHECK (estimated_time_ms >= 0),
    error_code          text,
    error_message       text,
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    worker_id           text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    completed_at        timestamptz,
    metadata            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT jobs_idempotency_key_per_owner UNIQUE (owner_key, idempotency_key)
);
COMMENT ON COLUMN jobs.attempts IS 'Times the job entered processing (set by trigger).';
COMMENT ON COLUMN jobs.processing_time_ms IS 'completed_at - started_at unless a writer set it.';

CREATE INDEX jobs_status_created_idx ON jobs (status, created_at DESC);
CREATE INDEX jobs_client_ip_created_idx ON jobs (client_ip, created_at DESC);
CREATE INDEX jobs_api_key_created_idx ON jobs (api_key_id, created_at DESC)
    WHERE api_key_id IS NOT NULL;
CREATE INDEX jobs_active_updated_idx ON jobs (updated_at)
    WHERE status IN ('pending', 'processing');
CREATE INDEX jobs_created_idx ON jobs (created_at);
CREATE INDEX jobs_completed_idx ON jobs (completed_at) WHERE completed_at IS NOT NULL;

-- Elements of a job's composition (ingest writes them; storage updates the source fields).
CREATE TABLE elements (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id            uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    element_key       text NOT NULL,
    position          integer NOT NULL DEFAULT 0 CHECK (position >= 0),
    element_type      element_type NOT NULL,
    source_url        text,
    track             integer NOT NULL DEFAULT 0,
    start_time        numeric(10, 3) NOT NULL DEFAULT 0 CHECK (start_time >= 0),
    duration          numeric(10, 3) CHECK (duration > 0),
    x                 text,
    y                 text,
    width             text,
    height            text,
    fit_mode          fit_mode NOT NULL DEFAULT 'auto',
    opacity           numeric(4, 3) NOT NULL DEFAULT 1 CHECK (opacity BETWEEN 0 AND 1),
    properties        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
    processing_status text NOT NULL DEFAULT 'pending'
                      CHECK (processing_status IN
                             ('pending', 'downloading', 'ready', 'processing', 'done', 'failed')),
    asset_sha256      text CHECK (asset_sha256 ~ '^[0-9a-f]{64}$'),
    source_size       bigint CHECK (source_size >= 0),
    source_duration   numeric(12, 3) CHECK (source_duration >= 0),
    source_width      integer CHECK (source_width > 0),
    source_height     integer CHECK (source_height > 0),
    error_message     text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT elements_key_per_job UNIQUE (job_id, element_key),
    CONSTRAINT elements_source_required CHECK (element_type = 'text' OR source_url IS NOT NULL)
);
CREATE INDEX elements_job_position_idx ON elements (job_id, position);
CREATE INDEX elements_asset_idx ON elements (asset_sha256) WHERE asset_sha256 IS NOT NULL;

-- S3 operations (storage).
CREATE TABLE storage_operations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id        uuid REFERENCES jobs (id) ON DELETE CASCADE,
    operation     storage_operation NOT NULL,
    bucket        text,
    s3_key        text,
    source_url    text,
    file_size     bigint CHECK (file_size >= 0),
    content_type  text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz CHECK (completed_at >= started_at),
    duration_ms   numeric GENERATED ALWAYS AS
                  (round(extract(epoch FROM completed_at - started_at) * 1000, 3)) STORED,
    success       boolean,
    retry_count   integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    error_message text,
    metadata      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX storage_operations_job_idx ON storage_operations (job_id, started_at);
CREATE INDEX storage_operations_op_started_idx ON storage_operations (operation, started_at DESC);

-- One row per processing step of a job attempt (render and storage).
CREATE TABLE processing_timeline (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id         uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step           processing_step NOT NULL,
    attempt        integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    worker_id      text,
    started_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz CHECK (completed_at >= started_at),
    duration_ms    numeric GENERATED ALWAYS AS
                   (round(extract(epoch FROM completed_at - started_at) * 1000, 3)) STORED,
    success        boolean,
    progress       smallint CHECK (progress BETWEEN 0 AND 100),
    cpu_percent    numeric(6, 2) CHECK (cpu_percent >= 0),
    memory_mb      numeric(12, 2) CHECK (memory_mb >= 0),
    error_code     text,
    error_message  text,
    details        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processing_timeline_job_idx ON processing_timeline (job_id, started_at);
CREATE INDEX processing_timeline_step_started_idx ON processing_timeline (step, started_at DESC);

-- Accesses to result URLs (storage).
CREATE TABLE url_access_logs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id           uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    accessed_at      timestamptz NOT NULL DEFAULT now(),
    client_ip        inet,
    user_agent       text,
    referer          text,
    country_code     char(2),
    region           text,
    city             text,
    access_type      text NOT NULL DEFAULT 'download'
                     CHECK (access_type IN ('download', 'stream', 'redirect', 'head')),
    response_status  integer CHECK (response_status BETWEEN 100 AND 599),
    bytes_served     bigint CHECK (bytes_served >= 0),
    response_time_ms integer CHECK (response_time_ms >= 0),
    metadata         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX url_access_logs_job_idx ON url_access_logs (job_id, accessed_at DESC);
CREATE INDEX url_access_logs_accessed_idx ON url_access_logs (accessed_at);

-- Metric samples (metrics).
CREATE TABLE system_metrics (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    metric_name     text NOT NULL CHECK (length(metric_name) BETWEEN 1 AND 200),
    metric_value    double precision NOT NULL,
    metric_type     text NOT NULL DEFAULT 'gauge'
                    CHECK (metric_type IN ('gauge', 'counter', 'histogram', 'summary')),
    unit            text,
    labels          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(labels) = 'object'),
    service         text,
    instance        text,
    alert_threshold double precision,
    is_alert        boolean NOT NULL DEFAULT false,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX system_metrics_name_recorded_idx ON system_metrics (metric_name, recorded_at DESC);
CREATE INDEX system_metrics_recorded_idx ON system_metrics (recorded_at);
CREATE INDEX system_metrics_alert_idx ON system_metrics (recorded_at DESC) WHERE is_alert;

-- Table privileges; row-level security (0009) narrows what each role sees. Users may only
-- fill in what a request carries; the services write the rest.
GRANT SELECT ON jobs, elements TO vidgen_anon, vidgen_authenticated;
GRANT INSERT (id, output_format, width, height, fps, duration, spec, response_type, client_ip,
              api_key_id, user_agent, idempotency_key, callback_url, estimated_time_ms,
              metadata)
    ON jobs TO vidgen_anon, vidgen_authenticated;
GRANT UPDATE (status) ON jobs TO vidgen_anon, vidgen_authenticated;  -- cancel only (policy)
GRANT INSERT (id, job_id, element_key, position, element_type, source_url, track, start_time,
              duration, x, y, width, height, fit_mode, opacity, properties)
    ON elements TO vidgen_anon, vidgen_authenticated;
GRANT SELECT ON storage_operations, processing_timeline TO vidgen_anon, vidgen_authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON jobs, elements, storage_operations, processing_timeline, url_access_logs, system_metrics
    TO vidgen_service, vidgen_admin;
GRANT SELECT, UPDATE (last_used_at) ON api_keys TO vidgen_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO vidgen_admin;
GRANT USAGE ON SEQUENCE storage_operations_id_seq, processing_timeline_id_seq,
    url_access_logs_id_seq, system_metrics_id_seq TO vidgen_service, vidgen_admin;
