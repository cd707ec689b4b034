DROP TABLE IF EXISTS thread_number_moves;
DROP TABLE IF EXISTS quarantines;
DROP TABLE IF EXISTS setup_progress;
