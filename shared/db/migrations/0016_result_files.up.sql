-- Delivery: every file of a completed job (renditions, HLS playlists and segments, stills,
-- the thumbnail sprite and its index), each with its path, URL, size, duration and
-- dimensions, as a JSON array. NULL for a job with one output (its columns say it all).
-- Written by ingest's projection from JobCompleted, like result_url.
ALTER TABLE jobs ADD COLUMN result_files jsonb;
ALTER TABLE jobs ADD CONSTRAINT jobs_result_files_array
    CHECK (result_files IS NULL OR jsonb_typeof(result_files) = 'array');
