-- Worklists are read in deadline order per status (ORDER BY deadline_at NULLS LAST, id LIMIT n): with id in the
-- index a whole-city list stops after n rows instead of sorting every problem of that status (待立案 has no
-- deadline yet, so the old (status, deadline_at) index left all of them to sort by id).
CREATE INDEX problem_status_deadline_id_idx ON problem (status, deadline_at, id);
DROP INDEX problem_status_deadline_idx;
