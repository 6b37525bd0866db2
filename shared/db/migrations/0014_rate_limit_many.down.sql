DROP FUNCTION IF EXISTS consume_rate_limit_many(text, integer, interval, integer);
