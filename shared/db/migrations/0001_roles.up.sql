-- Database roles and the `auth` schema.
--
-- Roles are cluster-wide, so they are created only when missing (several databases of one
-- cluster, e.g. test databases, share them). They never log in: a service connects with its
-- own login user, which is granted the roles it may act as, and switches per transaction with
-- `SET LOCAL ROLE vidgen_anon` (+ `set_config('vidgen.client_ip', ..., true)` etc.).
-- None of them bypasses row-level security.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['vidgen_anon', 'vidgen_authenticated', 'vidgen_service', 'vidgen_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created concurrently by a migration of another database
            END;
        END IF;
    END LOOP;
END
$$;

CREATE SCHEMA auth;
COMMENT ON SCHEMA auth IS 'Who is asking: role, client IP and principal of the current transaction.';

GRANT USAGE ON SCHEMA public, auth
    TO vidgen_anon, vidgen_authenticated, vidgen_service, vidgen_admin;
