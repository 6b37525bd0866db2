DROP TABLE IF EXISTS system_metrics;
DROP TABLE IF EXISTS url_access_logs;
DROP TABLE IF EXISTS processing_timeline;
DROP TABLE IF EXISTS storage_operations;
DROP TABLE IF EXISTS elements;
DROP TABLE IF EXISTS jobs;
DROP TABLE IF EXISTS api_keys;
