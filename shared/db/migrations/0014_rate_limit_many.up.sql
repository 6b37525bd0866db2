-- Count p_count requests of p_identifier at once (the jobs of one batch request), in order:
-- as many as the window still allows are granted and the counter goes up by that number,
-- in one call. Returns how many were granted, how many remain and, when some were refused,
-- after how many seconds to retry. SECURITY DEFINER, like consume_rate_limit.
CREATE FUNCTION consume_rate_limit_many(p_identifier text, p_limit integer, p_window interval,
                                        p_count integer)
RETURNS TABLE (granted integer, remaining integer, retry_after_seconds integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_seconds integer := ceil(extract(epoch FROM p_window))::integer;
    v_start   timestamptz;
    v_before  integer;
BEGIN
    IF p_identifier IS NULL OR p_limit IS NULL OR p_limit < 0 OR v_seconds IS NULL
       OR v_seconds < 1 OR p_count IS NULL OR p_count < 0 THEN
        RAISE EXCEPTION 'invalid rate limit (%, %, %, %)', p_identifier, p_limit, p_window,
            p_count USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_start := to_timestamp(floor(extract(epoch FROM now()) / v_seconds) * v_seconds);
    -- the counter's row, locked until the end of the transaction: concurrent batches of the
    -- same caller take their shares one after the other
    INSERT INTO rate_limits AS r (identifier, window_seconds, window_start, request_count)
    VALUES (p_identifier, v_seconds, v_start, 0)
    ON CONFLICT (identifier, window_seconds, window_start)
        DO UPDATE SET request_count = r.request_count
    RETURNING r.request_count INTO v_before;

    granted := least(p_count, greatest(p_limit - v_before, 0));
    IF granted > 0 THEN
        UPDATE rate_limits SET request_count = request_count + granted
        WHERE identifier = p_identifier AND window_seconds = v_seconds
          AND window_start = v_start;
    END IF;
    remaining := greatest(p_limit - v_before - granted, 0);
    retry_after_seconds := CASE WHEN granted = p_count THEN 0 ELSE greatest(1, ceil(extract(
        epoch FROM v_start + make_interval(secs => v_seconds) - now()))::integer) END;
    RETURN NEXT;
END
$$;
