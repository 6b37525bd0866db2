-- The roles themselves are kept: they are cluster-wide and may still be used by other
-- databases of the cluster. Drop them by hand once no database uses them.
REVOKE USAGE ON SCHEMA public
    FROM vidgen_anon, vidgen_authenticated, vidgen_service, vidgen_admin;
DROP SCHEMA IF EXISTS auth;
