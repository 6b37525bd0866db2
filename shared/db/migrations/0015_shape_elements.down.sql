-- Postgres cannot drop a value from an enum: 'shape' stays in element_type, and the
-- constraint is the earlier one again (not checked against rows already written).
ALTER TABLE elements DROP CONSTRAINT IF EXISTS elements_source_required;
ALTER TABLE elements ADD CONSTRAINT elements_source_required
    CHECK (element_type::text IN ('text', 'captions') OR source_url IS NOT NULL) NOT VALID;
