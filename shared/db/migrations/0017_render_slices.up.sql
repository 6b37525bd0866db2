-- Split rendering (services/render/split.py): a long job is cut into units (video slices
-- and one audio unit) that any render worker takes from the render topic. The render fleet
-- is the only writer of these tables: one row per job for the split, one per unit. A unit
-- that is done stays done across redeliveries and across the reaper's new attempts, so a
-- lost worker costs only the unit it was rendering.
CREATE TABLE render_splits (
    job_id          uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    units           integer NOT NULL CHECK (units >= 2),
    duration        double precision NOT NULL CHECK (duration > 0),
    format          text NOT NULL,
    poster_key      text,
    stitch_worker   text,
    stitch_claimed_at timestamptz,
    stitched_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE render_slices (
    job_id      uuid NOT NULL REFERENCES render_splits (job_id) ON DELETE CASCADE,
    unit        integer NOT NULL CHECK (unit >= 0),
    kind        text NOT NULL CHECK (kind IN ('video', 'audio')),
    start_s     double precision NOT NULL,
    end_s       double precision NOT NULL CHECK (end_s > start_s),
    state       text NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'rendering', 'done')),
    renders     integer NOT NULL DEFAULT 0,
    progress    real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    worker_id   text,
    key         text,
    seconds     double precision,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, unit)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON render_splits, render_slices
    TO vidgen_service, vidgen_admin;

-- Only the services and operators read or write them, like every other table.
ALTER TABLE render_splits ENABLE ROW LEVEL SECURITY;
ALTER TABLE render_slices ENABLE ROW LEVEL SECURITY;
CREATE POLICY render_splits_privileged ON render_splits FOR ALL TO vidgen_service, vidgen_admin
    USING ((SELECT auth.is_privileged())) WITH CHECK ((SELECT auth.is_privileged()));
CREATE POLICY render_slices_privileged ON render_slices FOR ALL TO vidgen_service, vidgen_admin
    USING ((SELECT auth.is_privileged())) WITH CHECK ((SELECT auth.is_privileged()));
