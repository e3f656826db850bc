-- The rectification loop (整改闭环) and inspections (督查), domain.md §5–6.

-- Photos: files live in a configurable directory under names the server chooses; the row keeps what
-- was read from the content (type, size, EXIF time and position).
CREATE TABLE photo (
    id           uuid PRIMARY KEY,
    content_type varchar(20) NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    byte_size    integer NOT NULL CHECK (byte_size > 0),
    width        integer NOT NULL CHECK (width > 0),
    height       integer NOT NULL CHECK (height > 0),
    sha256       char(64) NOT NULL,
    taken_at     timestamptz,
    gps          geometry(Point, 4326),
    uploaded_by  bigint NOT NULL REFERENCES app_user (id),
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX photo_uploaded_by_idx ON photo (uploaded_by);
CREATE INDEX photo_gps_gix ON photo USING gist (gps);

-- Checklists per point type (测评标准); a failed item opens a problem of its category.
CREATE TABLE checklist_item (
    code            varchar(60) PRIMARY KEY,
    point_type_code varchar(40) NOT NULL REFERENCES point_type (code),
    sort_order      integer NOT NULL,
    text_zh         text NOT NULL CHECK (length(btrim(text_zh)) > 0),
    text_en         text NOT NULL,
    category_code   varchar(40) NOT NULL REFERENCES problem_category (code),
    active          boolean NOT NULL DEFAULT true
);

CREATE INDEX checklist_item_type_idx ON checklist_item (point_type_code, sort_order);

CREATE TABLE inspection (
    id             bigserial PRIMARY KEY,
    point_id       bigint NOT NULL REFERENCES measurement_point (id),
    grid_id        bigint REFERENCES grid (id),
    inspector_id   bigint NOT NULL REFERENCES app_user (id),
    status         varchar(10) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'SUBMITTED')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    submitted_at   timestamptz,
    location       geometry(Point, 4326),
    passed_count   integer NOT NULL DEFAULT 0,
    failed_count   integer NOT NULL DEFAULT 0,
    na_count       integer NOT NULL DEFAULT 0,
    -- passed / (passed + failed); items marked not applicable do not count.
    score_rate     numeric(5, 4) CHECK (score_rate BETWEEN 0 AND 1),
    version        bigint NOT NULL DEFAULT 0,
    CHECK ((status = 'SUBMITTED') = (submitted_at IS NOT NULL))
);

CREATE INDEX inspection_point_idx ON inspection (point_id, submitted_at);
CREATE INDEX inspection_grid_idx ON inspection (grid_id);
CREATE INDEX inspection_location_gix ON inspection USING gist (location);

CREATE TABLE inspection_result (
    inspection_id bigint NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    item_code     varchar(60) NOT NULL REFERENCES checklist_item (code),
    outcome       varchar(4) NOT NULL CHECK (outcome IN ('PASS', 'FAIL', 'NA')),
    note          text,
    problem_id    bigint REFERENCES problem (id),
    PRIMARY KEY (inspection_id, item_code)
);

CREATE TABLE inspection_result_photo (
    inspection_id bigint NOT NULL,
    item_code     varchar(60) NOT NULL,
    photo_id      uuid NOT NULL REFERENCES photo (id),
    PRIMARY KEY (inspection_id, item_code, photo_id),
    FOREIGN KEY (inspection_id, item_code) REFERENCES inspection_result (inspection_id, item_code) ON DELETE CASCADE
);

-- What the loop needs on a problem beyond schema v1.
ALTER TABLE problem
    ADD COLUMN warning_at             timestamptz,
    ADD COLUMN assignee_user_id       bigint REFERENCES app_user (id),
    ADD COLUMN duplicate_of_id        bigint REFERENCES problem (id),
    ADD COLUMN rejection_reason       varchar(20) CHECK (rejection_reason IN ('INVALID', 'DUPLICATE')),
    ADD COLUMN inspection_id          bigint REFERENCES inspection (id),
    ADD COLUMN suspended_from_status  varchar(20),
    ADD COLUMN extension_hours        numeric(6, 1) CHECK (extension_hours > 0),
    ADD COLUMN extension_pending      boolean NOT NULL DEFAULT false,
    ADD COLUMN urge_count             integer NOT NULL DEFAULT 0,
    ADD COLUMN last_urged_at          timestamptz,
    ADD COLUMN supervised             boolean NOT NULL DEFAULT false,
    ADD COLUMN submitted_at           timestamptz,
    ADD CONSTRAINT problem_warning_needs_deadline CHECK (warning_at IS NULL OR deadline_at IS NOT NULL);

CREATE INDEX problem_assignee_idx ON problem (assignee_user_id) WHERE problem_is_open(status);
CREATE INDEX problem_department_idx ON problem (handler_department_code) WHERE problem_is_open(status);

-- Traffic light (domain.md §5): green below 80 % of the time limit used, yellow 80–100 %, red overdue.
-- warning_at is the 80 % instant in working time, computed with the deadline when a problem is accepted.
CREATE FUNCTION problem_light(status varchar, warning_at timestamptz, deadline_at timestamptz, at timestamptz) RETURNS varchar
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE
           WHEN deadline_at IS NULL OR NOT problem_is_open(status) OR status = 'SUSPENDED' THEN NULL
           WHEN at > deadline_at THEN 'RED'
           WHEN at >= warning_at THEN 'YELLOW'
           ELSE 'GREEN'
           END
$$;

-- Every move of the loop: who, when, from which state to which, note, photos, and the client's
-- idempotency key so that a retried request is recognised instead of applied twice.
CREATE TABLE problem_event (
    id              bigserial PRIMARY KEY,
    problem_id      bigint NOT NULL REFERENCES problem (id),
    occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id        bigint REFERENCES app_user (id),
    action          varchar(30) NOT NULL,
    from_status     varchar(20),
    to_status       varchar(20),
    note            text,
    details         jsonb,
    idempotency_key varchar(100),
    UNIQUE (problem_id, idempotency_key)
);

CREATE INDEX problem_event_problem_idx ON problem_event (problem_id, occurred_at);

CREATE TABLE problem_event_photo (
    event_id bigint NOT NULL REFERENCES problem_event (id),
    photo_id uuid NOT NULL REFERENCES photo (id),
    purpose  varchar(10) NOT NULL CHECK (purpose IN ('BEFORE', 'AFTER', 'OTHER')),
    PRIMARY KEY (event_id, photo_id)
);
