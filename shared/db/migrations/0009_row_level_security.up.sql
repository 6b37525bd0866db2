-- Row-level security on every table (the seed's policies).
--   anon           jobs created anonymously from its own client IP (vidgen.client_ip)
--   authenticated  jobs of its own API key (vidgen.user_id = api_keys.id)
--   both           may create jobs (pending, as themselves), add elements to their pending
--                  jobs, cancel their jobs, and read their jobs' elements, timeline and
--                  storage operations; may log security events
--   service_account, admin: everything
-- Table owners (the migration user) are not subject to these policies.
-- auth.* calls are wrapped in (SELECT ...) so they run once per query, not once per row.

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE elements ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage_operations ENABLE ROW LEVEL SECURITY;
ALTER TABLE processing_timeline ENABLE ROW LEVEL SECURITY;
ALTER TABLE url_access_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE system_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE processed_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE asset_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_events ENABLE ROW LEVEL SECURITY;

-- Services and admins: full access everywhere.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_keys', 'jobs', 'elements', 'storage_operations',
                             'processing_timeline', 'url_access_logs', 'system_metrics',
                             'processed_events', 'outbox', 'asset_cache', 'rate_limits',
                             'security_events']
    LOOP
        EXECUTE format(
            'CREATE POLICY %I ON %I FOR ALL TO vidgen_service, vidgen_admin '
            'USING ((SELECT auth.is_privileged())) WITH CHECK ((SELECT auth.is_privileged()))',
            t || '_privileged', t);
    END LOOP;
END
$$;

-- Jobs. The ownership test is spelled out (rather than calling auth.can_access_job() per
-- row) so that it can use the client_ip / api_key_id indexes.
CREATE POLICY jobs_select_own ON jobs FOR SELECT
    TO vidgen_anon, vidgen_authenticated
    USING (
        (api_key_id IS NULL AND client_ip = (SELECT auth.client_ip())
         AND (SELECT auth.user_role()) = 'anon')
        OR (api_key_id = (SELECT auth.user_id())
            AND (SELECT auth.user_role()) = 'authenticated')
    );
CREATE POLICY jobs_insert_own ON jobs FOR INSERT
    TO vidgen_anon, vidgen_authenticated
    WITH CHECK (
        status = 'pending'
        AND ((api_key_id IS NULL AND client_ip = (SELECT auth.client_ip())
              AND (SELECT auth.user_role()) = 'anon')
             OR (api_key_id = (SELECT auth.user_id())
                 AND (SELECT auth.user_role()) = 'authenticated'))
    );
-- Owners may only cancel (they are granted UPDATE on the status column alone).
CREATE POLICY jobs_cancel_own ON jobs FOR UPDATE
    TO vidgen_anon, vidgen_authenticated
    USING (
        (api_key_id IS NULL AND client_ip = (SELECT auth.client_ip())
         AND (SELECT auth.user_role()) = 'anon')
        OR (api_key_id = (SELECT auth.user_id())
            AND (SELECT auth.user_role()) = 'authenticated')
    )
    WITH CHECK (status = 'cancelled');

-- Rows that belong to a job: visible when the job is (the subquery is itself filtered by
-- the jobs policies).
CREATE POLICY elements_select_own ON elements FOR SELECT
    TO vidgen_anon, vidgen_authenticated
    USING (EXISTS (SELECT 1 FROM jobs AS j WHERE j.id = elements.job_id));
CREATE POLICY elements_insert_own ON elements FOR INSERT
    TO vidgen_anon, vidgen_authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM jobs AS j
                        WHERE j.id = elements.job_id AND j.status = 'pending'));
CREATE POLICY storage_operations_select_own ON storage_operations FOR SELECT
    TO vidgen_anon, vidgen_authenticated
    USING (EXISTS (SELECT 1 FROM jobs AS j WHERE j.id = storage_operations.job_id));
CREATE POLICY processing_timeline_select_own ON processing_timeline FOR SELECT
    TO vidgen_anon, vidgen_authenticated
    USING (EXISTS (SELECT 1 FROM jobs AS j WHERE j.id = processing_timeline.job_id));

-- Anyone may append to the audit trail (through log_security_event()).
CREATE POLICY security_events_insert_any ON security_events FOR INSERT
    TO vidgen_anon, vidgen_authenticated
    WITH CHECK (true);
