DROP INDEX IF EXISTS jobs_template_idx;
ALTER TABLE jobs
    DROP CONSTRAINT IF EXISTS jobs_template_version_with_id,
    DROP COLUMN IF EXISTS template_version,
    DROP COLUMN IF EXISTS template_id;
DROP TABLE IF EXISTS template_versions;
DROP TABLE IF EXISTS templates;
DROP FUNCTION IF EXISTS template_version_is_immutable();
