DROP FUNCTION IF EXISTS auth.can_subscribe_to_job(uuid);
DROP FUNCTION IF EXISTS auth.can_access_job(inet, uuid);
DROP FUNCTION IF EXISTS auth.user_id();
DROP FUNCTION IF EXISTS auth.client_ip();
DROP FUNCTION IF EXISTS auth.is_privileged();
DROP FUNCTION IF EXISTS auth.is_admin();
DROP FUNCTION IF EXISTS auth.user_role();
DROP FUNCTION IF EXISTS auth.db_role_name(text);
