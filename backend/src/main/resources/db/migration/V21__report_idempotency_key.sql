-- A report sent again with the same Idempotency-Key (a client retrying, or nginx resending a POST that was in flight
-- on an instance that died) finds the problem the first one created instead of reporting it twice.
CREATE UNIQUE INDEX problem_event_report_key_idx ON problem_event (actor_id, idempotency_key)
    WHERE action = 'REPORT' AND idempotency_key IS NOT NULL;
