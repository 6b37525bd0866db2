DROP FUNCTION IF EXISTS log_security_event(text, jsonb, text);
DROP FUNCTION IF EXISTS check_rate_limit(text, integer, interval);
DROP FUNCTION IF EXISTS consume_rate_limit(text, integer, interval);
DROP FUNCTION IF EXISTS enforce_data_retention(integer, integer, integer, integer);
DROP FUNCTION IF EXISTS cleanup_old_metrics(integer);
DROP FUNCTION IF EXISTS cleanup_old_jobs(integer);
DROP FUNCTION IF EXISTS get_job_statistics(timestamptz, timestamptz);
DROP FUNCTION IF EXISTS calculate_job_progress(uuid);
DROP FUNCTION IF EXISTS update_job_progress(uuid, integer, processing_step);
DROP FUNCTION IF EXISTS create_job(text, integer, integer, numeric, inet, text, jsonb, jsonb,
                                   response_type, uuid, text, text, numeric);
