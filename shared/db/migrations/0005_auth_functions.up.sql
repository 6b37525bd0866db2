-- Who is asking. These read per-transaction settings that the API sets with
-- set_config(name, value, true):
--   vidgen.role       anon | authenticated | service_account | admin (optional)
--   vidgen.client_ip  the caller's IP address
--   vidgen.user_id    the authenticated principal: the id of its api_keys row
-- A setting can only narrow what the database role allows: vidgen.role is honoured only when
-- the current database user is a member of the matching vidgen_* role.

CREATE FUNCTION auth.db_role_name(app_role text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE app_role
        WHEN 'anon' THEN 'vidgen_anon'
        WHEN 'authenticated' THEN 'vidgen_authenticated'
        WHEN 'service_account' THEN 'vidgen_service'
        WHEN 'admin' THEN 'vidgen_admin'
    END
$$;

CREATE FUNCTION auth.user_role() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN pg_has_role(current_user, auth.db_role_name(requested), 'MEMBER') THEN requested
        WHEN pg_has_role(current_user, 'vidgen_admin', 'MEMBER') THEN 'admin'
        WHEN pg_has_role(current_user, 'vidgen_service', 'MEMBER') THEN 'service_account'
        WHEN pg_has_role(current_user, 'vidgen_authenticated', 'MEMBER') THEN 'authenticated'
        ELSE 'anon'
    END
    FROM (SELECT nullif(current_setting('vidgen.role', true), '') AS requested) AS setting
$$;

CREATE FUNCTION auth.is_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT auth.user_role() = 'admin'
$$;

-- service_account or admin: full access to every table.
CREATE FUNCTION auth.is_privileged() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT auth.user_role() IN ('service_account', 'admin')
$$;

CREATE FUNCTION auth.client_ip() RETURNS inet
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN nullif(current_setting('vidgen.client_ip', true), '')::inet;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
END
$$;

CREATE FUNCTION auth.user_id() RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN nullif(current_setting('vidgen.user_id', true), '')::uuid;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
END
$$;

-- May the caller see a job with this owner? anon: anonymous jobs from its own client IP;
-- authenticated: jobs of its API key; service_account and admin: every job.
CREATE FUNCTION auth.can_access_job(job_client_ip inet, job_api_key_id uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE auth.user_role()
        WHEN 'admin' THEN true
        WHEN 'service_account' THEN true
        WHEN 'authenticated' THEN job_api_key_id IS NOT NULL
                                  AND job_api_key_id = auth.user_id()
        ELSE job_api_key_id IS NULL AND job_client_ip IS NOT NULL
             AND job_client_ip = auth.client_ip()
    END
$$;

-- May the caller receive real-time updates (status, timeline) of this job?
CREATE FUNCTION auth.can_subscribe_to_job(job_id uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.jobs AS j
        WHERE j.id = can_subscribe_to_job.job_id
          AND auth.can_access_job(j.client_ip, j.api_key_id)
    )
$$;
