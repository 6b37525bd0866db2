-- Enumerated types of the vidgen schema.
CREATE TYPE job_status AS ENUM (
    'pending', 'processing', 'completed', 'failed', 'cancelled', 'timeout'
);
CREATE TYPE element_type AS ENUM ('video', 'image', 'audio', 'text', 'overlay');
CREATE TYPE fit_mode AS ENUM ('auto', 'contain', 'cover', 'fill', 'stretch');
CREATE TYPE processing_step AS ENUM (
    'validation', 'download', 'processing', 'composition', 'encoding', 'upload', 'cleanup'
);
CREATE TYPE storage_operation AS ENUM ('upload', 'download', 'delete', 'access');
CREATE TYPE response_type AS ENUM ('immediate', 'async', 'auto');
