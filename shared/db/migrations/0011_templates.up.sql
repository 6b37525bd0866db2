-- Templates: stored compositions whose strings hold {{name}} merge fields, kept as
-- immutable numbered versions; a job made from one records which id and version it used.
-- Owned like jobs (anonymous: client_ip; with an API key: api_key_id) and under the same
-- row-level security: anon sees the templates created from its own IP without a key,
-- authenticated those of its key, service_account and admin all of them.

CREATE TABLE templates (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text CHECK (length(name) BETWEEN 1 AND 200),
    client_ip      inet,
    api_key_id     uuid REFERENCES api_keys (id) ON DELETE RESTRICT,
    latest_version integer NOT NULL DEFAULT 1 CHECK (latest_version >= 1),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX templates_client_ip_created_idx ON templates (client_ip, created_at DESC);
CREATE INDEX templates_api_key_created_idx ON templates (api_key_id, created_at DESC)
    WHERE api_key_id IS NOT NULL;

CREATE TABLE template_versions (
    template_id  uuid NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version >= 1),
    composition  jsonb NOT NULL CHECK (jsonb_typeof(composition) = 'object'),
    merge_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(merge_fields) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (template_id, version)
);

-- A version never changes (a job that used it can always be explained): new content is a
-- new version. Deleting the template removes its versions with it.
CREATE FUNCTION template_version_is_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'template versions are immutable (template %, version %); add a version',
        OLD.template_id, OLD.version
        USING ERRCODE = 'check_violation', CONSTRAINT = 'template_versions_immutable';
END
$$;
CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions
    FOR EACH ROW EXECUTE FUNCTION template_version_is_immutable();

-- Which template (and version) a job was made from. No foreign key: the record outlives a
-- deleted template.
ALTER TABLE jobs
    ADD COLUMN template_id uuid,
    ADD COLUMN template_version integer CHECK (template_version >= 1),
    ADD CONSTRAINT jobs_template_version_with_id
        CHECK ((template_id IS NULL) = (template_version IS NULL));
CREATE INDEX jobs_template_idx ON jobs (template_id) WHERE template_id IS NOT NULL;

GRANT INSERT (template_id, template_version) ON jobs TO vidgen_anon, vidgen_authenticated;
GRANT SELECT, DELETE, INSERT (id, name, client_ip, api_key_id) ON templates
    TO vidgen_anon, vidgen_authenticated;
GRANT UPDATE (name, latest_version, updated_at) ON templates
    TO vidgen_anon, vidgen_authenticated;
GRANT SELECT, INSERT (template_id, version, composition, merge_fields) ON template_versions
    TO vidgen_anon, vidgen_authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON templates, template_versions
    TO vidgen_service, vidgen_admin;

ALTER TABLE templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE template_versions ENABLE ROW LEVEL SECURITY;

CREATE POLICY templates_privileged ON templates FOR ALL TO vidgen_service, vidgen_admin
    USING ((SELECT auth.is_privileged())) WITH CHECK ((SELECT auth.is_privileged()));
CREATE POLICY template_versions_privileged ON template_versions FOR ALL
    TO vidgen_service, vidgen_admin
    USING ((SELECT auth.is_privileged())) WITH CHECK ((SELECT auth.is_privileged()));

-- The owner test of the jobs policies (0009), spelled out for the indexes.
CREATE POLICY templates_own ON templates FOR ALL
    TO vidgen_anon, vidgen_authenticated
    USING (
        (api_key_id IS NULL AND client_ip = (SELECT auth.client_ip())
         AND (SELECT auth.user_role()) = 'anon')
        OR (api_key_id = (SELECT auth.user_id())
            AND (SELECT auth.user_role()) = 'authenticated')
    )
    WITH CHECK (
        (api_key_id IS NULL AND client_ip = (SELECT auth.client_ip())
         AND (SELECT auth.user_role()) = 'anon')
        OR (api_key_id = (SELECT auth.user_id())
            AND (SELECT auth.user_role()) = 'authenticated')
    );
-- Versions: visible, and added, when their template is (the subquery is itself filtered).
CREATE POLICY template_versions_select_own ON template_versions FOR SELECT
    TO vidgen_anon, vidgen_authenticated
    USING (EXISTS (SELECT 1 FROM templates AS t WHERE t.id = template_versions.template_id));
CREATE POLICY template_versions_insert_own ON template_versions FOR INSERT
    TO vidgen_anon, vidgen_authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM templates AS t
                        WHERE t.id = template_versions.template_id));
