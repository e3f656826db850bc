-- Indicators and heatmaps for the leader dashboard (issue #6, domain.md §7).
-- Every indicator counts problems of an area's grids in a period, so each per-period count is an
-- index range per grid: the area's grids come from a prefix match on their code, then one probe per
-- grid and timestamp. A district of 4,000 grids and a week is ~4,000 short index ranges per count.

-- (The area subtree by code prefix uses grid_code_prefix_idx of V2.)

-- Flows in a period, per grid (the existing single-column indexes cannot combine grid and time).
CREATE INDEX problem_grid_reported_idx ON problem (grid_id, reported_at) INCLUDE (category_code);
CREATE INDEX problem_grid_accepted_idx ON problem (grid_id, accepted_at) INCLUDE (category_code) WHERE accepted_at IS NOT NULL;
CREATE INDEX problem_grid_dispatched_idx ON problem (grid_id, dispatched_at) INCLUDE (category_code) WHERE dispatched_at IS NOT NULL;
CREATE INDEX problem_grid_closed_idx ON problem (grid_id, closed_at) INCLUDE (category_code, reported_at, deadline_at)
    WHERE closed_at IS NOT NULL;

-- Overdue at a period's end: not closed by then, deadline before then, not rejected or suspended.
-- Open problems with a deadline, and problems closed late (the only closed ones that can have been
-- overdue at an earlier instant); both are a small part of all problems.
CREATE INDEX problem_grid_open_deadline_idx ON problem (grid_id, deadline_at) INCLUDE (category_code)
    WHERE closed_at IS NULL AND deadline_at IS NOT NULL AND status NOT IN ('REJECTED', 'SUSPENDED');
CREATE INDEX problem_grid_late_closed_idx ON problem (grid_id, deadline_at) INCLUDE (category_code, closed_at)
    WHERE closed_at > deadline_at;

-- Submissions for check (处置) and returns for rework (返工) in a period.
CREATE INDEX problem_event_handling_idx ON problem_event (occurred_at, problem_id) INCLUDE (action)
    WHERE action IN ('SUBMIT', 'RETURN');
CREATE INDEX problem_event_submit_idx ON problem_event (problem_id, occurred_at) WHERE action = 'SUBMIT';

-- Inspection score rate of an area in a period.
CREATE INDEX inspection_grid_submitted_idx ON inspection (grid_id, submitted_at) INCLUDE (score_rate) WHERE status = 'SUBMITTED';
