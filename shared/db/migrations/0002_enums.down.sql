DROP TYPE IF EXISTS response_type;
DROP TYPE IF EXISTS storage_operation;
DROP TYPE IF EXISTS processing_step;
DROP TYPE IF EXISTS fit_mode;
DROP TYPE IF EXISTS element_type;
DROP TYPE IF EXISTS job_status;
