-- Shape elements (rectangle, ellipse, line, polygon) are drawn, not downloaded: like text
-- they have no source. The new value is not used in this transaction (Postgres forbids
-- that), so the constraint compares the type as text.
ALTER TYPE element_type ADD VALUE IF NOT EXISTS 'shape';

ALTER TABLE elements DROP CONSTRAINT elements_source_required;
ALTER TABLE elements ADD CONSTRAINT elements_source_required
    CHECK (element_type::text IN ('text', 'captions', 'shape') OR source_url IS NOT NULL);
