-- Captions elements: a new element type, whose source (an .srt or .vtt file) is optional
-- because its cues may be given inline. The check compares the type as text: a value added
-- to an enum cannot be named in the transaction that adds it.
ALTER TYPE element_type ADD VALUE IF NOT EXISTS 'captions';

ALTER TABLE elements DROP CONSTRAINT elements_source_required;
ALTER TABLE elements ADD CONSTRAINT elements_source_required
    CHECK (element_type::text IN ('text', 'captions') OR source_url IS NOT NULL);
