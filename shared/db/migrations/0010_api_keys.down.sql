ALTER TABLE api_keys DROP COLUMN IF EXISTS owner;
-- vidgen_app is cluster-wide and may serve other databases: it is left in place, like the
-- vidgen_* roles of 0001.
