-- Job management, analytics, maintenance and security functions.
-- SECURITY INVOKER unless noted, so row-level security applies to the caller.

-- Create a job, or return the existing one when the owner reuses an idempotency key.
-- The first seven parameters are those of the earlier version's create_job().
CREATE FUNCTION create_job(
    p_output_format   text,
    p_width           integer,
    p_height          integer,
    p_fps             numeric DEFAULT 30,
    p_client_ip       inet DEFAULT NULL,
    p_user_agent      text DEFAULT NULL,
    p_metadata        jsonb DEFAULT '{}',
    p_spec            jsonb DEFAULT '{}',
    p_response_type   response_type DEFAULT 'async',
    p_api_key_id      uuid DEFAULT NULL,
    p_idempotency_key text DEFAULT NULL,
    p_callback_url    text DEFAULT NULL,
    p_duration        numeric DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_id uuid;
BEGIN
    INSERT INTO jobs (output_format, width, height, fps, client_ip, user_agent, metadata, spec,
                      response_type, api_key_id, idempotency_key, callback_url, duration)
    VALUES (coalesce(p_output_format, 'mp4'), p_width, p_height, coalesce(p_fps, 30),
            p_client_ip, p_user_agent, coalesce(p_metadata, '{}'), coalesce(p_spec, '{}'),
            coalesce(p_response_type, 'async'), p_api_key_id, p_idempotency_key,
            p_callback_url, p_duration)
    ON CONFLICT ON CONSTRAINT jobs_idempotency_key_per_owner DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN  -- the owner already created a job with this idempotency key
        SELECT id INTO v_id FROM jobs
        WHERE idempotency_key = p_idempotency_key
          AND owner_key = coalesce('key:' || p_api_key_id::text, 'ip:' || host(p_client_ip));
    END IF;
    RETURN v_id;
END
$$;

-- Record render progress; ignored unless the job is processing. Progress never goes back
-- within an attempt. Returns whether the job was updated.
CREATE FUNCTION update_job_progress(
    p_job_id uuid, p_progress integer, p_step processing_step DEFAULT NULL
) RETURNS boolean
LANGUAGE sql SET search_path = public, pg_temp AS $$
    WITH updated AS (
        UPDATE jobs
        SET progress_percentage = greatest(progress_percentage, least(greatest(p_progress, 0), 100)),
            current_step = coalesce(p_step, current_step)
        WHERE id = p_job_id AND status = 'processing'
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM updated)
$$;

-- Progress (0-100) derived from the job's successful steps, each weighted by its usual
-- share of the work; 100 only once the job is completed. NULL for an unknown job.
CREATE FUNCTION calculate_job_progress(p_job_id uuid) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    WITH weights (step, weight) AS (
        VALUES ('validation'::processing_step, 5), ('download', 20), ('processing', 10),
               ('composition', 10), ('encoding', 40), ('upload', 10), ('cleanup', 5)
    ),
    done AS (
        SELECT coalesce(sum(w.weight), 0)::integer AS pct
        FROM weights AS w
        WHERE EXISTS (
            SELECT 1 FROM processing_timeline AS t
            WHERE t.job_id = p_job_id AND t.step = w.step
              AND t.success AND t.completed_at IS NOT NULL
        )
    )
    SELECT CASE WHEN j.status = 'completed' THEN 100 ELSE least(done.pct, 99) END
    FROM jobs AS j CROSS JOIN done
    WHERE j.id = p_job_id
$$;

-- Job counts and timings for jobs created in [p_start, p_end). success_rate is completed
-- over finished (completed + failed + timeout) in percent; cancelled jobs are left out.
CREATE FUNCTION get_job_statistics(
    p_start timestamptz DEFAULT now() - interval '24 hours',
    p_end   timestamptz DEFAULT now()
) RETURNS TABLE (
    total_jobs             bigint,
    pending_jobs           bigint,
    processing_jobs        bigint,
    completed_jobs         bigint,
    failed_jobs            bigint,
    cancelled_jobs         bigint,
    timeout_jobs           bigint,
    success_rate           numeric,
    avg_processing_time_ms numeric,
    p95_processing_time_ms numeric,
    total_output_bytes     bigint
)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT
        count(*),
        count(*) FILTER (WHERE status = 'pending'),
        count(*) FILTER (WHERE status = 'processing'),
        count(*) FILTER (WHERE status = 'completed'),
        count(*) FILTER (WHERE status = 'failed'),
        count(*) FILTER (WHERE status = 'cancelled'),
        count(*) FILTER (WHERE status = 'timeout'),
        round(100.0 * count(*) FILTER (WHERE status = 'completed')
              / nullif(count(*) FILTER (WHERE status IN ('completed', 'failed', 'timeout')), 0),
              2),
        round(avg(processing_time_ms) FILTER (WHERE status = 'completed'), 1),
        round((percentile_cont(0.95) WITHIN GROUP (ORDER BY processing_time_ms)
               FILTER (WHERE status = 'completed'))::numeric, 1),
        coalesce(sum(file_size) FILTER (WHERE status = 'completed'), 0)::bigint
    FROM jobs
    WHERE created_at >= p_start AND created_at < p_end
$$;

-- Delete finished jobs (and, by cascade, their rows elsewhere) finished more than p_days
-- days ago. Active jobs are never deleted. Returns the number of jobs deleted.
CREATE FUNCTION cleanup_old_jobs(p_days integer DEFAULT 30) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    IF p_days IS NULL OR p_days < 0 THEN
        RAISE EXCEPTION 'p_days must be >= 0, got %', p_days USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM jobs
    WHERE status IN ('completed', 'failed', 'cancelled', 'timeout')
      AND coalesce(completed_at, updated_at) < now() - make_interval(days => p_days);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Delete metric samples older than p_days days. Returns the number deleted.
CREATE FUNCTION cleanup_old_metrics(p_days integer DEFAULT 7) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    IF p_days IS NULL OR p_days < 0 THEN
        RAISE EXCEPTION 'p_days must be >= 0, got %', p_days USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM system_metrics WHERE recorded_at < now() - make_interval(days => p_days);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Apply every retention rule; returns the number of rows deleted per table.
CREATE FUNCTION enforce_data_retention(
    p_job_days    integer DEFAULT 30,
    p_metric_days integer DEFAULT 7,
    p_log_days    integer DEFAULT 90,
    p_event_days  integer DEFAULT 14
) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_result jsonb := '{}';
    v_count  integer;
BEGIN
    IF least(p_log_days, p_event_days) < 0 THEN
        RAISE EXCEPTION 'retention days must be >= 0' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_result := v_result || jsonb_build_object('jobs', cleanup_old_jobs(p_job_days));
    v_result := v_result || jsonb_build_object('system_metrics', cleanup_old_metrics(p_metric_days));

    DELETE FROM url_access_logs WHERE accessed_at < now() - make_interval(days => p_log_days);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_result := v_result || jsonb_build_object('url_access_logs', v_count);

    DELETE FROM security_events WHERE created_at < now() - make_interval(days => p_log_days);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_result := v_result || jsonb_build_object('security_events', v_count);

    DELETE FROM processed_events WHERE processed_at < now() - make_interval(days => p_event_days);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_result := v_result || jsonb_build_object('processed_events', v_count);

    DELETE FROM outbox WHERE published_at < now() - make_interval(days => p_event_days);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_result := v_result || jsonb_build_object('outbox', v_count);

    DELETE FROM rate_limits
    WHERE window_start + make_interval(secs => window_seconds) < now();
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_result || jsonb_build_object('rate_limits', v_count);
END
$$;

-- Count one request of p_identifier (an API key id, a client IP, ...) against a fixed window
-- of p_window and say whether it is within p_limit, how many remain, and after how many
-- seconds to retry when it is not (for Retry-After). SECURITY DEFINER: any role may count
-- requests without access to the counters themselves.
CREATE FUNCTION consume_rate_limit(p_identifier text, p_limit integer, p_window interval)
RETURNS TABLE (allowed boolean, remaining integer, retry_after_seconds integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_seconds integer := ceil(extract(epoch FROM p_window))::integer;
    v_start   timestamptz;
    v_count   integer;
BEGIN
    IF p_identifier IS NULL OR p_limit IS NULL OR p_limit < 0 OR v_seconds IS NULL OR v_seconds < 1 THEN
        RAISE EXCEPTION 'invalid rate limit (%, %, %)', p_identifier, p_limit, p_window
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_start := to_timestamp(floor(extract(epoch FROM now()) / v_seconds) * v_seconds);
    INSERT INTO rate_limits AS r (identifier, window_seconds, window_start, request_count)
    VALUES (p_identifier, v_seconds, v_start, 1)
    ON CONFLICT (identifier, window_seconds, window_start)
        DO UPDATE SET request_count = r.request_count + 1
    RETURNING r.request_count INTO v_count;

    allowed := v_count <= p_limit;
    remaining := greatest(p_limit - v_count, 0);
    retry_after_seconds := CASE WHEN allowed THEN 0 ELSE greatest(1, ceil(extract(
        epoch FROM v_start + make_interval(secs => v_seconds) - now()))::integer) END;
    RETURN NEXT;
END
$$;

-- The earlier version's boolean form: true when the request is allowed.
CREATE FUNCTION check_rate_limit(
    p_identifier text, p_limit integer DEFAULT 100, p_window interval DEFAULT interval '1 hour'
) RETURNS boolean
LANGUAGE sql SET search_path = public, pg_temp AS $$
    SELECT allowed FROM consume_rate_limit(p_identifier, p_limit, p_window)
$$;

-- Append to the security audit trail, with who asked (auth.*) filled in. Returns its id.
CREATE FUNCTION log_security_event(
    p_event_type text, p_details jsonb DEFAULT '{}', p_severity text DEFAULT 'warning'
) RETURNS uuid
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_id uuid := gen_random_uuid();
BEGIN
    INSERT INTO security_events (id, event_type, severity, details, client_ip, user_id, app_role)
    VALUES (v_id, p_event_type, coalesce(p_severity, 'warning'), coalesce(p_details, '{}'),
            auth.client_ip(), auth.user_id(), auth.user_role());
    RETURN v_id;
END
$$;

-- Maintenance and analytics are for services and admins only.
REVOKE EXECUTE ON FUNCTION
    update_job_progress(uuid, integer, processing_step),
    get_job_statistics(timestamptz, timestamptz),
    cleanup_old_jobs(integer), cleanup_old_metrics(integer),
    enforce_data_retention(integer, integer, integer, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    update_job_progress(uuid, integer, processing_step),
    get_job_statistics(timestamptz, timestamptz),
    cleanup_old_jobs(integer), cleanup_old_metrics(integer),
    enforce_data_retention(integer, integer, integer, integer)
    TO vidgen_service, vidgen_admin;
