package org.civicgrid.transfer;

/**
 * The SQL of an import. A job's rows live in UNLOGGED tables named after the job id (a number from the database,
 * so the only text put into an identifier): import_rows_N as the file is read (binary COPY, the grid found
 * while reading), import_border_N with the few rows whose grid the database decides (geometries other than
 * points, points on a grid border) and that grid, import_sums_N with the per-grid sums of a points import,
 * import_ready_N with the lookups of a problems import. Every value is bound.
 */
final class ImportSql {

    private ImportSql() {
    }

    static String rows(long job) {
        return "import_rows_" + job;
    }

    static String sums(long job) {
        return "import_sums_" + job;
    }

    static String border(long job) {
        return "import_border_" + job;
    }

    static String ready(long job) {
        return "import_ready_" + job;
    }

    static final String INSERT_JOB = """
            INSERT INTO import_job (kind, file_name, crs, created_by, status) VALUES (:kind, :fileName, :crs, :user, 'RUNNING')
            RETURNING id""";

    static final String GRID_REVISION = "SELECT revision FROM layer_revision WHERE layer = 'grids'";

    static final String CURRENT_GRIDS = "SELECT id, code, ST_AsBinary(boundary) FROM grid WHERE valid_to IS NULL";

    static final String POINT_TYPES = "SELECT code, geometry_kind FROM point_type";

    static final String CATEGORIES = "SELECT code, '' FROM problem_category";

    /** Columns in the order ImportStager writes them. */
    static final String CREATE_ROWS_POINTS = """
            CREATE UNLOGGED TABLE %s (row_no integer NOT NULL, external_id text NOT NULL, code text NOT NULL, name text NOT NULL, address text,
                                      responsible_unit text, geom geometry NOT NULL, grid_id bigint, uncertain boolean NOT NULL)""";

    static final String CREATE_ROWS_PROBLEMS = """
            CREATE UNLOGGED TABLE %s (row_no integer NOT NULL, external_id text NOT NULL, code text NOT NULL, description text NOT NULL,
                                      reported_at timestamptz NOT NULL, status text NOT NULL, closed_at timestamptz, point_external_id text,
                                      geom geometry NOT NULL, grid_id bigint, uncertain boolean NOT NULL)""";

    static final String COPY_ROWS = "COPY %s FROM STDIN (FORMAT binary)";

    static final String CREATE_BORDER = """
            CREATE UNLOGGED TABLE %s (row_no integer NOT NULL, external_id text NOT NULL, geom geometry NOT NULL, grid_id bigint)""";

    /** Too many such rows to keep in memory while reading: taken from the staging table instead. */
    static final String FILL_BORDER = "INSERT INTO %s (row_no, external_id, geom) SELECT row_no, external_id, geom FROM %s WHERE uncertain";

    /** The database's own rule for the rows whose grid was not decided while reading. */
    static final String RESOLVE_BORDER = "UPDATE %s SET grid_id = grid_for_geometry(geom)";

    /** A points import's count and coordinate sums per grid: one row per grid, so the commit joins it as it is. */
    static final String CREATE_SUMS = "CREATE UNLOGGED TABLE %s (grid_id bigint NOT NULL, n int NOT NULL, lon float8 NOT NULL, lat float8 NOT NULL)";

    /** The border rows' sums added to their grids' rows (or new rows), keeping one row per grid. */
    static final String SUM_BORDER = """
            WITH b AS (SELECT grid_id, count(*)::int AS n, sum(ST_X(ST_PointOnSurface(geom))) AS lon, sum(ST_Y(ST_PointOnSurface(geom))) AS lat
                       FROM %2$s WHERE grid_id IS NOT NULL GROUP BY grid_id),
            added AS (UPDATE %1$s s SET n = s.n + b.n, lon = s.lon + b.lon, lat = s.lat + b.lat FROM b WHERE s.grid_id = b.grid_id
                      RETURNING s.grid_id)
            INSERT INTO %1$s (grid_id, n, lon, lat) SELECT b.grid_id, b.n, b.lon, b.lat FROM b
            WHERE NOT EXISTS (SELECT 1 FROM added WHERE added.grid_id = b.grid_id)""";

    private static final String IN_SCOPE = " LIKE ANY (string_to_array(:scope, ','))";

    /** Border rows (grid from the database) in no grid of the caller's area. */
    static final String BORDER_OUTSIDE = """
            SELECT b.row_no, 'location' AS field,
                   '(' || round(ST_X(ST_PointOnSurface(b.geom))::numeric, 6) || ', ' || round(ST_Y(ST_PointOnSurface(b.geom))::numeric, 6)
                       || ') lies outside every grid of your area' AS message
            FROM %s b LEFT JOIN grid g ON g.id = b.grid_id
            WHERE b.grid_id IS NULL OR NOT g.code""" + IN_SCOPE + "\nORDER BY b.row_no";

    /**
     * Staged points that update an existing point: how many, and the first rows whose point lies outside the
     * caller's area (an update may not reach there).
     */
    static final String EXISTING_POINTS = """
            SELECT count(*) AS existing, count(*) FILTER (WHERE NOT inside) AS outside,
                   coalesce((array_agg(row_no ORDER BY row_no) FILTER (WHERE NOT inside))[1 : 1000], '{}') AS outside_rows
            FROM (SELECT r.row_no, coalesce(eg.code, '')""" + IN_SCOPE + """
             AS inside
                  FROM %s r JOIN measurement_point mp ON mp.external_id = r.external_id LEFT JOIN grid eg ON eg.id = mp.grid_id) x""";

    static final String SAMPLE_POINTS = """
            SELECT coalesce(json_agg(x ORDER BY x.row), '[]')::text FROM (
              SELECT r.row_no AS row, r.external_id, r.code AS type_code, r.name, r.address, r.responsible_unit,
                     round(ST_X(ST_PointOnSurface(r.geom))::numeric, 7) AS lon, round(ST_Y(ST_PointOnSurface(r.geom))::numeric, 7) AS lat,
                     CASE WHEN ST_Dimension(r.geom) <> 0 THEN ST_AsText(r.geom) END AS wkt,
                     CASE WHEN g.code""" + IN_SCOPE + """
             THEN g.code END AS grid_code,
                     CASE WHEN EXISTS (SELECT 1 FROM measurement_point mp WHERE mp.external_id = r.external_id) THEN 'update' ELSE 'create' END
                         AS action
              FROM %s r LEFT JOIN %s b ON b.row_no = r.row_no LEFT JOIN grid g ON g.id = coalesce(b.grid_id, r.grid_id)
              WHERE r.ctid < CAST(:pages AS tid) AND r.row_no = ANY (CAST(string_to_array(:rows, ',') AS integer[]))) x""";

    static final String CREATE_READY_PROBLEMS = """
            CREATE UNLOGGED TABLE %s AS
            SELECT s.row_no, s.external_id, s.code, s.description, s.reported_at, s.status, s.closed_at, s.point_external_id, s.geom,
                   coalesce(b.grid_id, s.grid_id) AS grid_id, gr.code AS grid_code, s.uncertain, p.id AS existing_id,
                   eg.code AS existing_grid_code, mp.id AS point_id, pg.code AS point_grid_code
            FROM %s s
            LEFT JOIN %s b ON b.row_no = s.row_no
            LEFT JOIN grid gr ON gr.id = coalesce(b.grid_id, s.grid_id)
            LEFT JOIN problem p ON p.external_id = s.external_id
            LEFT JOIN grid eg ON eg.id = p.grid_id
            LEFT JOIN measurement_point mp ON mp.external_id = s.point_external_id
            LEFT JOIN grid pg ON pg.id = mp.grid_id""";

    static final String INDEX_READY = "CREATE INDEX ON %s (row_no)";

    private static final String ERRORS_TAIL = """
            )
            SELECT row_no, field, message, (SELECT count(*) FROM e) AS total, (SELECT count(DISTINCT row_no) FROM e) AS bad_rows
            FROM e ORDER BY row_no, field LIMIT :limit""";

    /** What only the database knows about problem rows (everything else was checked while reading). */
    static final String ERRORS_PROBLEMS = "WITH r AS (SELECT * FROM %s), e AS MATERIALIZED (" + """

            SELECT row_no, 'location' AS field,
                   '(' || round(ST_X(geom)::numeric, 6) || ', ' || round(ST_Y(geom)::numeric, 6) || ') lies outside every grid of your area' AS message
            FROM r WHERE uncertain AND (grid_id IS NULL OR NOT grid_code""" + IN_SCOPE + """
            )
            UNION ALL
            SELECT row_no, 'external_id', 'belongs to an existing problem outside your area' FROM r
            WHERE existing_id IS NOT NULL AND NOT coalesce(existing_grid_code, '')""" + IN_SCOPE + """

            UNION ALL
            SELECT row_no, 'point_external_id', 'no measurement point has external_id ' || point_external_id FROM r
            WHERE point_external_id IS NOT NULL AND point_id IS NULL
            UNION ALL
            SELECT row_no, 'point_external_id', 'the point ' || point_external_id || ' lies outside your area' FROM r
            WHERE point_id IS NOT NULL AND NOT coalesce(point_grid_code, '')""" + IN_SCOPE + ERRORS_TAIL;

    static final String COUNTS_PROBLEMS = "SELECT count(*) FILTER (WHERE existing_id IS NULL), count(*) FILTER (WHERE existing_id IS NOT NULL) FROM %s";

    static final String SAMPLE_PROBLEMS = """
            SELECT coalesce(json_agg(x ORDER BY x.row), '[]')::text FROM (
              SELECT row_no AS row, external_id, code AS category_code, description, reported_at, status, closed_at, point_external_id,
                     round(ST_X(geom)::numeric, 7) AS lon, round(ST_Y(geom)::numeric, 7) AS lat,
                     CASE WHEN grid_code""" + IN_SCOPE + """
             THEN grid_code END AS grid_code,
                     CASE WHEN existing_id IS NULL THEN 'create' ELSE 'update' END AS action
              FROM %s WHERE row_no = ANY (CAST(string_to_array(:rows, ',') AS integer[]))) x""";

    static final String PREVIEWED = """
            UPDATE import_job SET status = 'PREVIEWED', total_rows = :total, valid_rows = :valid, error_count = :errorCount, creates = :creates,
                                  updates = :updates, errors = CAST(:errors AS jsonb), sample = CAST(:sample AS jsonb),
                                  grid_revision = :gridRevision, codes = ARRAY(SELECT jsonb_array_elements_text(CAST(:codes AS jsonb)))
            WHERE id = :id""";

    static final String JOB = """
            SELECT id, kind, file_name, crs, created_by, created_at, status, total_rows, valid_rows, error_count, creates, updates, processed,
                   errors::text AS errors, sample::text AS sample, failure, committed_at, grid_revision
            FROM import_job WHERE id = :id""";

    /** Claims a clean preview for committing; nothing claimed = refused. */
    static final String CLAIM = """
            UPDATE import_job SET status = 'RUNNING', processed = 0, failure = NULL
            WHERE id = :id AND created_by = :user AND status = 'PREVIEWED' AND error_count = 0""";

    static final String PROGRESS = "UPDATE import_job SET processed = :processed WHERE id = :id";

    static final String COMMITTED = """
            UPDATE import_job SET status = 'COMMITTED', processed = :processed, creates = :creates, updates = :updates, committed_at = now()
            WHERE id = :id""";

    /** Marks previews older than a day FAILED and returns them (their staging tables are then dropped). */
    static final String EXPIRED_PREVIEWS = """
            UPDATE import_job SET status = 'FAILED', failure = 'the preview expired (not committed within a day); upload the file again'
            WHERE status = 'PREVIEWED' AND created_at < now() - interval '1 day' RETURNING id""";

    static final String FAILED = "UPDATE import_job SET status = 'FAILED', processed = 0, failure = :failure WHERE id = :id";

    // ------------------------------------------------------------------------------------------ commit, both kinds

    /** Held until the commit ends: a plan published meanwhile waits, and one published since the preview is seen. */
    static final String GRID_REVISION_LOCKED = "SELECT revision FROM layer_revision WHERE layer = 'grids' FOR SHARE";

    static final String BULK_FLAG = "SELECT set_config('civicgrid.bulk_import', 'on', true)";

    static final String BUMP_REVISION = "UPDATE layer_revision SET revision = revision + 1 WHERE layer = :layer";

    // ------------------------------------------------------------------------------------------ commit of points

    static final String STATS_LOCK = "SELECT 1 FROM map_stats_clock FOR SHARE";

    /** Other writers of points wait while the commit runs (readers do not): the statistics are computed set-based. */
    static final String LOCK_POINTS = "LOCK TABLE measurement_point IN SHARE ROW EXCLUSIVE MODE";

    /**
     * How many of the point types the rows use (KIND:CODE, as the preview checked them) no longer exist with that
     * geometry kind; those that do are kept so until the commit ends.
     */
    static final String POINT_TYPES_CHANGED = """
            WITH wanted AS (SELECT split_part(c, ':', 1) AS kind, substr(c, strpos(c, ':') + 1) AS code
                            FROM import_job j CROSS JOIN LATERAL unnest(j.codes) c WHERE j.id = :id),
            held AS (SELECT pt.code, pt.geometry_kind FROM point_type pt WHERE pt.code IN (SELECT code FROM wanted) FOR SHARE)
            SELECT count(*) FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM held h WHERE h.code = w.code AND h.geometry_kind = w.kind)""";

    /** The triggers of measurement_point whose work the commit does itself: with any other, it does not bypass triggers. */
    static final String POINT_TRIGGERS = """
            SELECT coalesce(string_agg(tgname, ',' ORDER BY tgname), '') FROM pg_trigger
            WHERE tgrelid = 'measurement_point'::regclass AND NOT tgisinternal""";

    static final String KNOWN_POINT_TRIGGERS = "measurement_point_assign_grid,measurement_point_check_insert,"
            + "measurement_point_map_stats_insert_delete,measurement_point_map_stats_update,measurement_point_revision";

    /** Whether this database user may switch off trigger firing (foreign-key checks included) for its transaction. */
    static final String MAY_SET_REPLICATION_ROLE = "SELECT has_parameter_privilege('session_replication_role', 'SET')";

    static final String REPLICA_ROLE = "SET LOCAL session_replication_role = replica";

    static final String ORIGIN_ROLE = "SET LOCAL session_replication_role = origin";

    /** With triggers off, what the grid_id foreign key would do: every grid exists, and stays until the commit ends. */
    static final String GRIDS_KEY_SHARE = """
            WITH wanted AS (SELECT grid_id FROM %s), held AS (SELECT g.id FROM grid g WHERE g.id IN (SELECT grid_id FROM wanted) FOR KEY SHARE)
            SELECT (SELECT count(*) FROM wanted) - (SELECT count(*) FROM held)""";

    /**
     * The same guarantee for the short end of a commit of rows written ahead: the grid table held (other writers of
     * grids wait that moment; readers do not), then one anti-join — instead of a row lock on each of up to 100,000 grids.
     */
    static final String HOLD_GRIDS = "LOCK TABLE grid IN SHARE MODE";

    static final String GRIDS_MISSING = """
            SELECT count(*) FROM %s w WHERE NOT EXISTS (SELECT 1 FROM grid g WHERE g.id = w.grid_id)""";

    static final String BLOCKS = "SELECT (pg_relation_size(CAST(:table AS regclass)) / current_setting('block_size')::bigint)::bigint";

    /** Before an upsert: the statistics without the points it will update; returns how many points that is. */
    static final String STATS_REMOVE_OLD_POINTS = """
            WITH j AS (SELECT mp.grid_id, mp.geom FROM %s r JOIN measurement_point mp ON mp.external_id = r.external_id),
            o AS (SELECT grid_id, count(*) AS n, sum(ST_X(ST_PointOnSurface(geom))) AS lon, sum(ST_Y(ST_PointOnSurface(geom))) AS lat
                  FROM j WHERE grid_id IS NOT NULL GROUP BY grid_id),
            u AS (UPDATE grid_map_stats s SET points = s.points - o.n, points_lon_sum = s.points_lon_sum - o.lon, points_lat_sum = s.points_lat_sum - o.lat
                  FROM o WHERE s.grid_id = o.grid_id RETURNING 1)
            SELECT count(*) FROM j""";

    private static final String BLOCK_RANGE = " WHERE r.ctid >= CAST(:from AS tid) AND r.ctid < CAST(:to AS tid)";

    /** A new file (the preview found none of its ids): plain INSERT; an id created since then fails it, and the commit is redone as UPSERT. */
    static final String INSERT_POINTS = """
            INSERT INTO measurement_point (external_id, type_code, name, address, responsible_unit, geom, grid_id)
            SELECT r.external_id, r.code, r.name, r.address, r.responsible_unit, r.geom, coalesce(b.grid_id, r.grid_id)
            FROM %s r LEFT JOIN %s b ON b.row_no = r.row_no""" + BLOCK_RANGE;

    static final String UPSERT_POINTS = """
            WITH up AS (
              INSERT INTO measurement_point AS mp (external_id, type_code, name, address, responsible_unit, geom, grid_id)
              SELECT r.external_id, r.code, r.name, r.address, r.responsible_unit, r.geom, coalesce(b.grid_id, r.grid_id)
              FROM %s r LEFT JOIN %s b ON b.row_no = r.row_no""" + BLOCK_RANGE + """

              ON CONFLICT (external_id) DO UPDATE SET type_code = EXCLUDED.type_code, name = EXCLUDED.name, address = EXCLUDED.address,
                  responsible_unit = EXCLUDED.responsible_unit, geom = EXCLUDED.geom, grid_id = EXCLUDED.grid_id, updated_at = now(),
                  version = mp.version + 1
              RETURNING (xmax = 0) AS created)
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up""";

    /** Rows written ahead without a grid (decided by the database after the preview read the file). */
    static final String GRID_OF_BORDER_AHEAD = """
            UPDATE measurement_point mp SET grid_id = b.grid_id FROM %s b WHERE mp.external_id = b.external_id AND b.grid_id IS NOT NULL""";

    /**
     * Grids that have statistics are updated (HOT, see V20) — cheaper than an upsert's insert attempt for each; returns
     * how many. Only when that is fewer than the grids of the import are the rest inserted ({@link #STATS_INSERT_NEW_GRIDS}).
     */
    static final String STATS_ADD_NEW_POINTS = """
            UPDATE grid_map_stats s SET points = s.points + a.n, points_lon_sum = s.points_lon_sum + a.lon, points_lat_sum = s.points_lat_sum + a.lat
            FROM %s a WHERE s.grid_id = a.grid_id""";

    static final String STATS_INSERT_NEW_GRIDS = """
            INSERT INTO grid_map_stats AS s (grid_id, code, points, points_lon_sum, points_lat_sum)
            SELECT g.id, g.code, a.n, a.lon, a.lat FROM %s a JOIN grid g ON g.id = a.grid_id
            WHERE NOT EXISTS (SELECT 1 FROM grid_map_stats u WHERE u.grid_id = a.grid_id)
            ON CONFLICT (grid_id) DO UPDATE SET points = s.points + EXCLUDED.points, points_lon_sum = s.points_lon_sum + EXCLUDED.points_lon_sum,
                                                points_lat_sum = s.points_lat_sum + EXCLUDED.points_lat_sum""";

    static final String COUNT = "SELECT count(*) FROM %s";

    // ------------------------------------------------------------------------------------------ commit of problems

    static final String ACCEPTED_CATEGORIES = """
            SELECT DISTINCT r.code, pc.time_limit_hours::float8 FROM %s r JOIN problem_category pc ON pc.code = r.code WHERE r.status = 'ACCEPTED'""";

    static final String UPSERT_PROBLEMS = """
            WITH up AS (
              INSERT INTO problem AS p (external_id, point_id, category_code, status, location, grid_id, description, reported_at, accepted_at,
                                        warning_at, deadline_at, closed_at, reporter_id)
              SELECT r.external_id, r.point_id, r.code, r.status, r.geom, r.grid_id, r.description, r.reported_at,
                     CASE WHEN r.status = 'ACCEPTED' THEN now() END,
                     CASE WHEN r.status = 'ACCEPTED' THEN CAST(CAST(:windows AS jsonb) -> r.code ->> 'warningAt' AS timestamptz) END,
                     CASE WHEN r.status = 'ACCEPTED' THEN CAST(CAST(:windows AS jsonb) -> r.code ->> 'deadlineAt' AS timestamptz) END,
                     r.closed_at, :user
              FROM %s r WHERE r.row_no >= :from AND r.row_no < :to
              ON CONFLICT (external_id) DO UPDATE SET point_id = EXCLUDED.point_id, category_code = EXCLUDED.category_code,
                  location = EXCLUDED.location, grid_id = EXCLUDED.grid_id, description = EXCLUDED.description,
                  reported_at = EXCLUDED.reported_at, version = p.version + 1
              RETURNING p.id, p.status, (xmax = 0) AS created),
            events AS (
              INSERT INTO problem_event (problem_id, actor_id, action, to_status, note, details)
              SELECT id, :user, 'IMPORT', status, 'imported from a file', jsonb_build_object('importId', :job) FROM up WHERE created)
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up""";
}
