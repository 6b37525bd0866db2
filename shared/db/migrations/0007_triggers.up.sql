-- Status rules, timestamps and real-time notifications.
--
-- Notifications (LISTEN channel: JSON payload), sent when the transaction commits:
--   job_status    {"event": "created"|"status"|"progress", "job_id", "status",
--                  "previous_status", "current_step", "progress_percentage", "error_code",
--                  "updated_at"}
--   job_timeline  {"event": "INSERT"|"UPDATE", "job_id", "id", "step", "attempt", "success",
--                  "started_at", "completed_at", "duration_ms", "error_code"}
--   outbox        empty payload: new rows await the relay
-- LISTEN is not subject to row-level security: only services listen, and they filter with
-- auth.can_subscribe_to_job() before forwarding anything to a client.

-- Allowed: pending -> processing | cancelled | failed;
--          processing -> completed | failed | cancelled | timeout;
--          failed | timeout -> processing (retry). completed and cancelled are final.
CREATE FUNCTION enforce_job_status_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = OLD.status
       OR (OLD.status = 'pending' AND NEW.status IN ('processing', 'cancelled', 'failed'))
       OR (OLD.status = 'processing'
           AND NEW.status IN ('completed', 'failed', 'cancelled', 'timeout'))
       OR (OLD.status IN ('failed', 'timeout') AND NEW.status = 'processing') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'invalid job status transition % -> % (job %)', OLD.status, NEW.status, OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'jobs_status_transition';
END
$$;

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- On entering processing: start a new attempt (started_at, attempts + 1; a retry also resets
-- progress and the previous error). On entering a final status: completed_at and
-- processing_time_ms. An INSERT keeps timestamps it is given (backfills, imports).
CREATE FUNCTION stamp_job_lifecycle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'processing' THEN
            NEW.started_at := coalesce(NEW.started_at, now());
            NEW.attempts := greatest(NEW.attempts, 1);
        ELSIF NEW.status IN ('completed', 'failed', 'cancelled', 'timeout') THEN
            NEW.completed_at := coalesce(NEW.completed_at, now());
        END IF;
    ELSIF NEW.status = OLD.status THEN
        RETURN NEW;
    ELSIF NEW.status = 'processing' THEN
        NEW.started_at := now();
        NEW.completed_at := NULL;
        NEW.processing_time_ms := NULL;
        NEW.attempts := OLD.attempts + 1;
        IF OLD.status IN ('failed', 'timeout') THEN
            NEW.progress_percentage := 0;
            NEW.error_code := NULL;
            NEW.error_message := NULL;
        END IF;
    ELSE  -- a final status
        NEW.completed_at := now();
    END IF;
    IF NEW.status IN ('completed', 'failed', 'cancelled', 'timeout') THEN
        IF NEW.started_at IS NOT NULL AND NEW.processing_time_ms IS NULL THEN
            NEW.processing_time_ms := greatest(0, round(
                extract(epoch FROM NEW.completed_at - NEW.started_at) * 1000))::integer;
        END IF;
        IF NEW.status = 'completed' THEN
            NEW.progress_percentage := 100;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION notify_job_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_status', json_build_object(
        'event', CASE
            WHEN TG_OP = 'INSERT' THEN 'created'
            WHEN NEW.status IS DISTINCT FROM OLD.status THEN 'status'
            ELSE 'progress' END,
        'job_id', NEW.id,
        'status', NEW.status,
        'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
        'current_step', NEW.current_step,
        'progress_percentage', NEW.progress_percentage,
        'error_code', NEW.error_code,
        'updated_at', NEW.updated_at
    )::text);
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_job_timeline() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_timeline', json_build_object(
        'event', TG_OP,
        'job_id', NEW.job_id,
        'id', NEW.id,
        'step', NEW.step,
        'attempt', NEW.attempt,
        'success', NEW.success,
        'started_at', NEW.started_at,
        'completed_at', NEW.completed_at,
        'duration_ms', NEW.duration_ms,
        'error_code', NEW.error_code
    )::text);
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');  -- identical notifications of one transaction fold into one
    RETURN NULL;
END
$$;

-- BEFORE triggers fire in name order: transition check, then timestamps.
CREATE TRIGGER jobs_10_enforce_status_transition
    BEFORE UPDATE OF status ON jobs
    FOR EACH ROW EXECUTE FUNCTION enforce_job_status_transition();
CREATE TRIGGER jobs_20_set_updated_at
    BEFORE UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER jobs_30_stamp_lifecycle
    BEFORE INSERT OR UPDATE OF status ON jobs
    FOR EACH ROW EXECUTE FUNCTION stamp_job_lifecycle();
CREATE TRIGGER jobs_notify_created
    AFTER INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION notify_job_status();
CREATE TRIGGER jobs_notify_changed
    AFTER UPDATE ON jobs
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.progress_percentage IS DISTINCT FROM NEW.progress_percentage
          OR OLD.current_step IS DISTINCT FROM NEW.current_step)
    EXECUTE FUNCTION notify_job_status();

CREATE TRIGGER elements_set_updated_at
    BEFORE UPDATE ON elements
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER processing_timeline_notify
    AFTER INSERT OR UPDATE ON processing_timeline
    FOR EACH ROW EXECUTE FUNCTION notify_job_timeline();

CREATE TRIGGER outbox_notify
    AFTER INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION notify_outbox();
