DROP TABLE IF EXISTS render_slices;
DROP TABLE IF EXISTS render_splits;
