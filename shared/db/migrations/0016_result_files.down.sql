ALTER TABLE jobs DROP CONSTRAINT jobs_result_files_array;
ALTER TABLE jobs DROP COLUMN result_files;
