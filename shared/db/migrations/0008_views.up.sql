-- Views. All are security_invoker, so row-level security applies to whoever queries them.
--
-- active_jobs.processing_health compares the time since the job was last updated
-- (updated_at: every status or progress write touches it) with two thresholds, which a
-- session may change with set_config():
--   vidgen.slow_after     default '2 minutes'   -> 'slow'
--   vidgen.stalled_after  default '10 minutes'  -> 'stalled'

-- One row per job with counts from its elements, timeline and storage operations.
CREATE VIEW job_summary WITH (security_invoker = true) AS
SELECT
    j.id, j.status, j.current_step, j.progress_percentage,
    j.output_format, j.width, j.height, j.fps, j.duration, j.response_type,
    j.result_url, j.file_size, j.processing_time_ms, j.estimated_time_ms,
    j.error_code, j.error_message, j.attempts, j.worker_id,
    j.client_ip, j.api_key_id, j.idempotency_key, j.metadata,
    j.created_at, j.updated_at, j.started_at, j.completed_at,
    coalesce(e.element_count, 0) AS element_count,
    coalesce(e.video_count, 0) AS video_count,
    coalesce(e.image_count, 0) AS image_count,
    coalesce(e.audio_count, 0) AS audio_count,
    coalesce(e.text_count, 0) AS text_count,
    coalesce(e.overlay_count, 0) AS overlay_count,
    coalesce(t.steps_succeeded, 0) AS steps_succeeded,
    coalesce(t.steps_failed, 0) AS steps_failed,
    t.last_step,
    coalesce(s.storage_operations, 0) AS storage_operations,
    coalesce(s.bytes_transferred, 0) AS bytes_transferred,
    round(extract(epoch FROM coalesce(j.completed_at, now()) - j.created_at) * 1000)::bigint
        AS total_time_ms
FROM jobs AS j
LEFT JOIN LATERAL (
    SELECT count(*) AS element_count,
           count(*) FILTER (WHERE el.element_type = 'video') AS video_count,
           count(*) FILTER (WHERE el.element_type = 'image') AS image_count,
           count(*) FILTER (WHERE el.element_type = 'audio') AS audio_count,
           count(*) FILTER (WHERE el.element_type = 'text') AS text_count,
           count(*) FILTER (WHERE el.element_type = 'overlay') AS overlay_count
    FROM elements AS el WHERE el.job_id = j.id
) AS e ON true
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE pt.success) AS steps_succeeded,
           count(*) FILTER (WHERE NOT pt.success) AS steps_failed,
           (array_agg(pt.step ORDER BY pt.started_at DESC, pt.id DESC))[1] AS last_step
    FROM processing_timeline AS pt WHERE pt.job_id = j.id
) AS t ON true
LEFT JOIN LATERAL (
    SELECT count(*) AS storage_operations,
           sum(so.file_size) FILTER (WHERE so.success) AS bytes_transferred
    FROM storage_operations AS so WHERE so.job_id = j.id
) AS s ON true;

-- What a status subscriber needs, with the latest timeline step.
CREATE VIEW job_status_realtime WITH (security_invoker = true) AS
SELECT
    j.id, j.status, j.current_step, j.progress_percentage, j.attempts,
    j.result_url, j.file_size, j.error_code, j.error_message,
    j.created_at, j.updated_at, j.started_at, j.completed_at,
    j.started_at + make_interval(secs => j.estimated_time_ms / 1000.0) AS estimated_completion_at,
    round(extract(epoch FROM coalesce(j.completed_at, now()) - coalesce(j.started_at, j.created_at))
          * 1000)::bigint AS elapsed_ms,
    lt.step AS latest_step, lt.success AS latest_step_success,
    coalesce(lt.completed_at, lt.started_at) AS latest_step_at
FROM jobs AS j
LEFT JOIN LATERAL (
    SELECT pt.step, pt.success, pt.started_at, pt.completed_at
    FROM processing_timeline AS pt WHERE pt.job_id = j.id
    ORDER BY pt.started_at DESC, pt.id DESC LIMIT 1
) AS lt ON true;

-- Pending and processing jobs with their health.
CREATE VIEW active_jobs WITH (security_invoker = true) AS
SELECT
    j.id, j.status, j.current_step, j.progress_percentage, j.attempts, j.worker_id,
    j.output_format, j.width, j.height, j.response_type,
    j.created_at, j.started_at, j.updated_at,
    now() - j.updated_at AS since_last_update,
    round(extract(epoch FROM coalesce(j.started_at, now()) - j.created_at) * 1000)::bigint
        AS queue_time_ms,
    round(extract(epoch FROM now() - j.started_at) * 1000)::bigint AS running_time_ms,
    CASE
        WHEN now() - j.updated_at > cfg.stalled_after THEN 'stalled'
        WHEN now() - j.updated_at > cfg.slow_after THEN 'slow'
        ELSE 'normal'
    END AS processing_health
FROM jobs AS j
CROSS JOIN (
    SELECT coalesce(nullif(current_setting('vidgen.slow_after', true), '')::interval,
                    interval '2 minutes') AS slow_after,
           coalesce(nullif(current_setting('vidgen.stalled_after', true), '')::interval,
                    interval '10 minutes') AS stalled_after
) AS cfg
WHERE j.status IN ('pending', 'processing');

-- Pending jobs in arrival order.
CREATE VIEW job_queue WITH (security_invoker = true) AS
SELECT
    row_number() OVER (ORDER BY j.created_at, j.id) AS queue_position,
    j.id, j.response_type, j.output_format, j.width, j.height, j.duration,
    j.estimated_time_ms, j.created_at,
    round(extract(epoch FROM now() - j.created_at) * 1000)::bigint AS waiting_ms
FROM jobs AS j
WHERE j.status = 'pending';

-- Per-day job counts and timings (by creation day, UTC).
CREATE VIEW daily_job_stats WITH (security_invoker = true) AS
SELECT
    (date_trunc('day', j.created_at AT TIME ZONE 'UTC'))::date AS day,
    count(*) AS total_jobs,
    count(*) FILTER (WHERE j.status = 'completed') AS completed_jobs,
    count(*) FILTER (WHERE j.status = 'failed') AS failed_jobs,
    count(*) FILTER (WHERE j.status = 'cancelled') AS cancelled_jobs,
    count(*) FILTER (WHERE j.status = 'timeout') AS timeout_jobs,
    count(*) FILTER (WHERE j.status IN ('pending', 'processing')) AS active_jobs,
    round(avg(j.processing_time_ms) FILTER (WHERE j.status = 'completed'), 1)
        AS avg_processing_time_ms,
    coalesce(sum(j.file_size) FILTER (WHERE j.status = 'completed'), 0) AS output_bytes
FROM jobs AS j
GROUP BY 1;

-- Per-step durations and success over the last 24 hours (finished steps only).
CREATE VIEW step_performance WITH (security_invoker = true) AS
SELECT
    pt.step,
    count(*) AS executions,
    count(*) FILTER (WHERE pt.success) AS succeeded,
    count(*) FILTER (WHERE NOT pt.success) AS failed,
    round(100.0 * count(*) FILTER (WHERE pt.success) / count(*), 2) AS success_rate,
    round(avg(pt.duration_ms), 1) AS avg_duration_ms,
    round((percentile_cont(0.95) WITHIN GROUP (ORDER BY pt.duration_ms))::numeric, 1)
        AS p95_duration_ms,
    max(pt.duration_ms) AS max_duration_ms
FROM processing_timeline AS pt
WHERE pt.completed_at IS NOT NULL AND pt.started_at > now() - interval '24 hours'
GROUP BY pt.step;

-- Per-operation storage throughput over the last 24 hours (finished operations only).
CREATE VIEW storage_operation_stats WITH (security_invoker = true) AS
SELECT
    so.operation,
    count(*) AS operations,
    count(*) FILTER (WHERE so.success) AS succeeded,
    count(*) FILTER (WHERE NOT so.success) AS failed,
    round(100.0 * count(*) FILTER (WHERE so.success) / count(*), 2) AS success_rate,
    round(avg(so.duration_ms), 1) AS avg_duration_ms,
    coalesce(sum(so.file_size) FILTER (WHERE so.success), 0) AS bytes,
    round(sum(so.file_size) FILTER (WHERE so.success)
          / nullif(sum(so.duration_ms) FILTER (WHERE so.success), 0) * 1000)
        AS bytes_per_second
FROM storage_operations AS so
WHERE so.completed_at IS NOT NULL AND so.started_at > now() - interval '24 hours'
GROUP BY so.operation;

-- Per-job result URL use.
CREATE VIEW url_access_stats WITH (security_invoker = true) AS
SELECT
    l.job_id,
    count(*) AS accesses,
    count(DISTINCT l.client_ip) AS unique_clients,
    coalesce(sum(l.bytes_served), 0) AS bytes_served,
    round(avg(l.response_time_ms), 1) AS avg_response_time_ms,
    min(l.accessed_at) AS first_accessed_at,
    max(l.accessed_at) AS last_accessed_at
FROM url_access_logs AS l
GROUP BY l.job_id;

-- Failures of the last 24 hours grouped by error code.
CREATE VIEW error_summary WITH (security_invoker = true) AS
SELECT
    j.status,
    coalesce(j.error_code, 'UNKNOWN') AS error_code,
    count(*) AS jobs,
    max(j.completed_at) AS last_seen_at,
    (array_agg(j.error_message ORDER BY j.completed_at DESC))[1] AS latest_message
FROM jobs AS j
WHERE j.status IN ('failed', 'timeout') AND j.completed_at > now() - interval '24 hours'
GROUP BY j.status, coalesce(j.error_code, 'UNKNOWN');

-- The latest sample of each metric series (name + labels).
CREATE VIEW latest_system_metrics WITH (security_invoker = true) AS
SELECT DISTINCT ON (m.metric_name, m.labels)
    m.metric_name, m.labels, m.metric_value, m.metric_type, m.unit, m.service, m.instance,
    m.alert_threshold, m.is_alert, m.recorded_at
FROM system_metrics AS m
ORDER BY m.metric_name, m.labels, m.recorded_at DESC, m.id DESC;

GRANT SELECT ON job_summary, job_status_realtime, active_jobs
    TO vidgen_anon, vidgen_authenticated, vidgen_service, vidgen_admin;
GRANT SELECT ON job_queue, daily_job_stats, step_performance, storage_operation_stats,
    url_access_stats, error_summary, latest_system_metrics
    TO vidgen_service, vidgen_admin;
