-- Bulk import of measurement points and problems (issue 8): a file is parsed, staged and validated into a
-- pending job (the preview); committing it writes every row in one transaction. The rows of a job wait in an
-- UNLOGGED table of their own, import_rows_<job id> (created and dropped by the application): no WAL for
-- data that is only a draft; after a database crash such a job can no longer be committed and is re-uploaded.
CREATE TABLE import_job (
    id          bigserial PRIMARY KEY,
    kind        varchar(10) NOT NULL CHECK (kind IN ('POINTS', 'PROBLEMS')),
    file_name   text NOT NULL,
    crs         varchar(10) NOT NULL,
    created_by  bigint NOT NULL REFERENCES app_user (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    status      varchar(10) NOT NULL CHECK (status IN ('PREVIEWED', 'RUNNING', 'COMMITTED', 'FAILED')),
    total_rows  integer NOT NULL DEFAULT 0,
    valid_rows  integer NOT NULL DEFAULT 0,
    error_count integer NOT NULL DEFAULT 0,
    creates     integer NOT NULL DEFAULT 0,
    updates     integer NOT NULL DEFAULT 0,
    processed   integer NOT NULL DEFAULT 0,
    -- The first errors ({row, field, message}) and parsed rows, as shown in the preview.
    errors      jsonb NOT NULL DEFAULT '[]',
    sample      jsonb NOT NULL DEFAULT '[]',
    failure     text,
    committed_at timestamptz
);

CREATE INDEX import_job_created_by_idx ON import_job (created_by, created_at);
