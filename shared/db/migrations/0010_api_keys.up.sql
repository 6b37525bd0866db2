-- API keys get an owner, and the services get their own login role.
--
-- vidgen_app is the login the services connect with (DATABASE_URL). It is not a superuser,
-- owns nothing, cannot bypass row-level security and inherits no privileges (NOINHERIT):
-- every session starts as vidgen_service (the role default below), and the API switches
-- each request's transaction to the caller's role with SET LOCAL ROLE. Migrations keep
-- running as the owner. Its password, if the server needs one, is set by
-- `vidgen db migrate` from VIDGEN_DB_APP_PASSWORD; with no password it logs in only where
-- the server trusts local connections (the embedded development server).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vidgen_app') THEN
        BEGIN
            CREATE ROLE vidgen_app LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE
                NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created concurrently by a migration of another database
        END;
    END IF;
END
$$;
GRANT vidgen_anon, vidgen_authenticated, vidgen_service, vidgen_admin TO vidgen_app;
ALTER ROLE vidgen_app SET role = 'vidgen_service';

ALTER TABLE api_keys
    ADD COLUMN owner text CHECK (length(owner) BETWEEN 1 AND 200);
COMMENT ON COLUMN api_keys.owner IS 'Who the key was issued to (free text: a team, a system).';
