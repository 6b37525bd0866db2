DO $$
DECLARE
    t text;
    p text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_keys', 'jobs', 'elements', 'storage_operations',
                             'processing_timeline', 'url_access_logs', 'system_metrics',
                             'processed_events', 'outbox', 'asset_cache', 'rate_limits',
                             'security_events']
    LOOP
        FOR p IN SELECT policyname FROM pg_policies
                 WHERE schemaname = current_schema() AND tablename = t
        LOOP
            EXECUTE format('DROP POLICY %I ON %I', p, t);
        END LOOP;
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
