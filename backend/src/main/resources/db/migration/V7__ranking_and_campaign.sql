-- Weekly ranking (一周一排名), external evaluations (国测/省测/市测) and the campaign (部署/攻坚/巩固,
-- 问题清零), issue #6, domain.md §6–7.

-- Weights of the composite ranking score; one row per component, the sum is kept at 1 by the API.
CREATE TABLE ranking_weight (
    component varchar(30) PRIMARY KEY
        CHECK (component IN ('closureRate', 'onTimeClosureRate', 'reworkRate', 'inspectionScoreRate', 'externalScore')),
    weight    numeric(6, 5) NOT NULL CHECK (weight BETWEEN 0 AND 1),
    sort_order integer NOT NULL
);

INSERT INTO ranking_weight (component, weight, sort_order) VALUES
    ('closureRate', 0.30, 1), ('onTimeClosureRate', 0.30, 2), ('reworkRate', 0.15, 3),
    ('inspectionScoreRate', 0.15, 4), ('externalScore', 0.10, 5);

-- Imported external evaluation results: one batch per uploaded file, one row per point and criterion.
CREATE TABLE evaluation_batch (
    id          bigserial PRIMARY KEY,
    file_name   text,
    row_count   integer NOT NULL CHECK (row_count >= 0),
    imported_by bigint NOT NULL REFERENCES app_user (id),
    imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE external_evaluation (
    id           bigserial PRIMARY KEY,
    batch_id     bigint NOT NULL REFERENCES evaluation_batch (id),
    evaluation   varchar(12) NOT NULL CHECK (evaluation IN ('NATIONAL', 'PROVINCIAL', 'CITY')),
    evaluated_on date NOT NULL,
    point_id     bigint NOT NULL REFERENCES measurement_point (id),
    criterion    text NOT NULL CHECK (length(btrim(criterion)) > 0),
    score        numeric(10, 3) NOT NULL CHECK (score >= 0),
    max_score    numeric(10, 3) NOT NULL CHECK (max_score > 0),
    CHECK (score <= max_score)
);

CREATE INDEX external_evaluation_date_idx ON external_evaluation (evaluated_on, point_id);
CREATE INDEX external_evaluation_point_idx ON external_evaluation (point_id);
CREATE INDEX external_evaluation_batch_idx ON external_evaluation (batch_id);

-- What the weekly figures read by time: closures, loop verdicts and submitted inspections of one week.
CREATE INDEX problem_closed_at_idx ON problem (closed_at) INCLUDE (grid_id, deadline_at, handler_department_code)
    WHERE closed_at IS NOT NULL;
CREATE INDEX problem_unclosed_deadline_idx ON problem (deadline_at) INCLUDE (grid_id, handler_department_code)
    WHERE closed_at IS NULL AND status NOT IN ('REJECTED', 'SUSPENDED');
CREATE INDEX problem_event_verdict_idx ON problem_event (occurred_at) INCLUDE (problem_id, action)
    WHERE action IN ('CLOSE', 'RETURN');
CREATE INDEX inspection_submitted_idx ON inspection (submitted_at) INCLUDE (grid_id, score_rate)
    WHERE status = 'SUBMITTED';

-- The campaign: one row (id = 1), its phases in order, all dates in Asia/Shanghai.
CREATE TABLE campaign (
    id              integer PRIMARY KEY CHECK (id = 1),
    name            text NOT NULL CHECK (length(btrim(name)) > 0),
    evaluation_date date NOT NULL
);

CREATE TABLE campaign_phase (
    campaign_id integer NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    code        varchar(12) NOT NULL CHECK (code IN ('DEPLOY', 'ASSAULT', 'CONSOLIDATE')),
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    sort_order  integer NOT NULL,
    PRIMARY KEY (campaign_id, code),
    CHECK (ends_on >= starts_on)
);

-- The demo city's problems run from 2026-09-01 to its as-of date 2026-11-30: the assault phase covers
-- the demo's "today" and the evaluation follows four weeks later.
INSERT INTO campaign (id, name, evaluation_date) VALUES (1, '2026年全国文明城市测评迎检攻坚行动', DATE '2026-12-28');
INSERT INTO campaign_phase (campaign_id, code, name_zh, name_en, starts_on, ends_on, sort_order) VALUES
    (1, 'DEPLOY', '部署阶段', 'Deployment', DATE '2026-09-01', DATE '2026-09-30', 1),
    (1, 'ASSAULT', '攻坚阶段', 'Assault', DATE '2026-10-01', DATE '2026-12-13', 2),
    (1, 'CONSOLIDATE', '巩固阶段', 'Consolidation', DATE '2026-12-14', DATE '2026-12-27', 3);
