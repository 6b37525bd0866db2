-- Postgres cannot drop a value from an enum: 'captions' stays a possible element type.
-- Restoring the check fails while a captions element without a source is stored.
ALTER TABLE elements DROP CONSTRAINT elements_source_required;
ALTER TABLE elements ADD CONSTRAINT elements_source_required
    CHECK (element_type::text = 'text' OR source_url IS NOT NULL);
