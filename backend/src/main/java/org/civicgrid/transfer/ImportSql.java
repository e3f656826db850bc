package org.civicgrid.transfer;

/**
 * The SQL of an import. A job's rows live in UNLOGGED tables named after the job id (a number from the database,
 * so the only text put into an identifier): import_raw_N while the file is copied in, import_ready_N with every
 * lookup resolved (grid, existing object, point type, point) once the file is read. Every value is bound.
 */
final class ImportSql {

    private ImportSql() {
    }

    static String raw(long job) {
        return "import_raw_" + job;
    }

    static String ready(long job) {
        return "import_ready_" + job;
    }

    static final String INSERT_JOB = """
            INSERT INTO import_job (kind, file_name, crs, created_by, status) VALUES (:kind, :fileName, :crs, :user, 'RUNNING')
            RETURNING id""";

    static final String CREATE_RAW = """
            CREATE UNLOGGED TABLE %s (row_no integer NOT NULL, external_id text, code text, name text, address text, responsible_unit text,
                                      description text, reported_at timestamptz, status text, closed_at timestamptz, point_external_id text,
                                      geom geometry NOT NULL)""";

    static final String COPY_RAW = "COPY %s FROM STDIN (FORMAT csv)";

    /** The grid a geometry belongs to, as grid_for_geometry decides it (points by containment, lowest id on a border). */
    private static final String GRID_OF_GEOM = """
            LEFT JOIN LATERAL (SELECT g.id, g.code FROM grid g
                               WHERE g.valid_to IS NULL AND g.boundary && s.geom AND ST_Intersects(g.boundary, s.geom)
                               ORDER BY CASE ST_Dimension(s.geom) WHEN 0 THEN 0
                                             WHEN 1 THEN -ST_Length(ST_Intersection(g.boundary, s.geom)::geography)
                                             ELSE -ST_Area(ST_Intersection(g.boundary, s.geom)::geography) END, g.id
                               LIMIT 1) gr ON true
            """;

    static final String CREATE_READY_POINTS = """
            CREATE UNLOGGED TABLE %s AS
            SELECT s.row_no, s.external_id, s.code, s.name, s.address, s.responsible_unit, s.geom,
                   pt.geometry_kind AS type_kind,
                   CASE ST_Dimension(s.geom) WHEN 0 THEN 'POINT' WHEN 1 THEN 'LINE' ELSE 'POLYGON' END AS geom_kind,
                   gr.id AS grid_id, gr.code AS grid_code, mp.id AS existing_id, eg.code AS existing_grid_code
            FROM %s s
            LEFT JOIN point_type pt ON pt.code = s.code
            """ + GRID_OF_GEOM + """
            LEFT JOIN measurement_point mp ON mp.external_id = s.external_id
            LEFT JOIN grid eg ON eg.id = mp.grid_id""";

    static final String CREATE_READY_PROBLEMS = """
            CREATE UNLOGGED TABLE %s AS
            SELECT s.row_no, s.external_id, s.code, s.description, s.reported_at, s.status, s.closed_at, s.point_external_id, s.geom,
                   pc.code IS NOT NULL AS code_ok, gr.id AS grid_id, gr.code AS grid_code, p.id AS existing_id, eg.code AS existing_grid_code,
                   mp.id AS point_id, pg.code AS point_grid_code
            FROM %s s
            LEFT JOIN problem_category pc ON pc.code = s.code
            """ + GRID_OF_GEOM + """
            LEFT JOIN problem p ON p.external_id = s.external_id
            LEFT JOIN grid eg ON eg.id = p.grid_id
            LEFT JOIN measurement_point mp ON mp.external_id = s.point_external_id
            LEFT JOIN grid pg ON pg.id = mp.grid_id""";

    static final String INDEX_READY = "CREATE INDEX ON %s (row_no)";

    private static final String IN_SCOPE = " LIKE ANY (string_to_array(:scope, ','))";

    private static final String OUTSIDE_GRIDS = """
            SELECT row_no, 'location' AS field,
                   '(' || round(ST_X(ST_PointOnSurface(geom))::numeric, 6) || ', ' || round(ST_Y(ST_PointOnSurface(geom))::numeric, 6)
                       || ') lies outside every grid of your area' AS message
            FROM r WHERE grid_id IS NULL OR NOT grid_code""" + IN_SCOPE + "\n";

    private static final String DUPLICATES = """
            SELECT r.row_no, 'external_id', 'duplicate external_id ' || r.external_id || ' (first in row ' || d.first || ')'
            FROM r JOIN (SELECT external_id, min(row_no) AS first FROM r GROUP BY external_id HAVING count(*) > 1) d USING (external_id)
            WHERE r.row_no > d.first
            """;

    private static final String ERRORS_TAIL = """
            )
            SELECT row_no, field, message, (SELECT count(*) FROM e) AS total, (SELECT count(DISTINCT row_no) FROM e) AS bad_rows
            FROM e ORDER BY row_no, field LIMIT :limit""";

    static final String ERRORS_POINTS = "WITH r AS (SELECT * FROM %s), e AS MATERIALIZED (\n" + OUTSIDE_GRIDS + """
            UNION ALL
            SELECT row_no, 'type_code', 'unknown point type ' || code FROM r WHERE type_kind IS NULL
            UNION ALL
            SELECT row_no, 'location', 'a point of type ' || code || ' needs a ' || type_kind || ' geometry, not a ' || geom_kind
            FROM r WHERE type_kind <> geom_kind
            UNION ALL
            SELECT row_no, 'external_id', 'belongs to an existing point outside your area' FROM r
            WHERE existing_id IS NOT NULL AND NOT coalesce(existing_grid_code, '')""" + IN_SCOPE + "\nUNION ALL\n" + DUPLICATES + ERRORS_TAIL;

    static final String ERRORS_PROBLEMS = "WITH r AS (SELECT * FROM %s), e AS MATERIALIZED (\n" + OUTSIDE_GRIDS + """
            UNION ALL
            SELECT row_no, 'category_code', 'unknown problem category ' || code FROM r WHERE NOT code_ok
            UNION ALL
            SELECT row_no, 'external_id', 'belongs to an existing problem outside your area' FROM r
            WHERE existing_id IS NOT NULL AND NOT coalesce(existing_grid_code, '')""" + IN_SCOPE + """

            UNION ALL
            SELECT row_no, 'point_external_id', 'no measurement point has external_id ' || point_external_id FROM r
            WHERE point_external_id IS NOT NULL AND point_id IS NULL
            UNION ALL
            SELECT row_no, 'point_external_id', 'the point ' || point_external_id || ' lies outside your area' FROM r
            WHERE point_id IS NOT NULL AND NOT coalesce(point_grid_code, '')""" + IN_SCOPE + "\nUNION ALL\n" + DUPLICATES + ERRORS_TAIL;

    static final String COUNTS = "SELECT count(*) FILTER (WHERE existing_id IS NULL), count(*) FILTER (WHERE existing_id IS NOT NULL) FROM %s";

    static final String SAMPLE_POINTS = """
            SELECT coalesce(json_agg(x ORDER BY x.row), '[]')::text FROM (
              SELECT row_no AS row, external_id, code AS type_code, name, address, responsible_unit,
                     round(ST_X(ST_PointOnSurface(geom))::numeric, 7) AS lon, round(ST_Y(ST_PointOnSurface(geom))::numeric, 7) AS lat,
                     CASE WHEN geom_kind <> 'POINT' THEN ST_AsText(geom) END AS wkt,
                     CASE WHEN grid_code""" + IN_SCOPE + """
             THEN grid_code END AS grid_code,
                     CASE WHEN existing_id IS NULL THEN 'create' ELSE 'update' END AS action
              FROM %s ORDER BY row_no LIMIT 20) x""";

    static final String SAMPLE_PROBLEMS = """
            SELECT coalesce(json_agg(x ORDER BY x.row), '[]')::text FROM (
              SELECT row_no AS row, external_id, code AS category_code, description, reported_at, status, closed_at, point_external_id,
                     round(ST_X(geom)::numeric, 7) AS lon, round(ST_Y(geom)::numeric, 7) AS lat,
                     CASE WHEN grid_code""" + IN_SCOPE + """
             THEN grid_code END AS grid_code,
                     CASE WHEN existing_id IS NULL THEN 'create' ELSE 'update' END AS action
              FROM %s ORDER BY row_no LIMIT 20) x""";

    static final String PREVIEWED = """
            UPDATE import_job SET status = 'PREVIEWED', total_rows = :total, valid_rows = :valid, error_count = :errorCount, creates = :creates,
                                  updates = :updates, errors = CAST(:errors AS jsonb), sample = CAST(:sample AS jsonb)
            WHERE id = :id""";

    static final String JOB = """
            SELECT id, kind, file_name, crs, created_by, created_at, status, total_rows, valid_rows, error_count, creates, updates, processed,
                   errors::text AS errors, sample::text AS sample, failure, committed_at
            FROM import_job WHERE id = :id""";

    /** Claims a clean preview for committing; nothing claimed = refused. */
    static final String CLAIM = """
            UPDATE import_job SET status = 'RUNNING', processed = 0, failure = NULL
            WHERE id = :id AND created_by = :user AND status = 'PREVIEWED' AND error_count = 0""";

    static final String PROGRESS = "UPDATE import_job SET processed = :processed WHERE id = :id";

    static final String COMMITTED = """
            UPDATE import_job SET status = 'COMMITTED', processed = :processed, creates = :creates, updates = :updates, committed_at = now()
            WHERE id = :id""";

    static final String FAILED = "UPDATE import_job SET status = 'FAILED', processed = 0, failure = :failure WHERE id = :id";

    // ------------------------------------------------------------------------------------------ commit of points

    /** The point triggers whose work the commit does set-based (grid, kind check, map statistics, layer revision). */
    static final String[] POINT_TRIGGERS = {"measurement_point_assign_grid", "measurement_point_revision",
            "measurement_point_map_stats_insert_delete", "measurement_point_map_stats_update"};
    /** The problem triggers replaced set-based (grid, layer revision); the statistics and heat triggers stay on. */
    static final String[] PROBLEM_TRIGGERS = {"problem_assign_grid", "problem_revision"};

    static final String STATS_LOCK = "SELECT 1 FROM map_stats_clock FOR SHARE";

    static final String STATS_REMOVE_OLD_POINTS = """
            UPDATE grid_map_stats s SET points = s.points - o.n, points_lon_sum = s.points_lon_sum - o.lon, points_lat_sum = s.points_lat_sum - o.lat
            FROM (SELECT mp.grid_id, count(*) AS n, sum(ST_X(ST_PointOnSurface(mp.geom))) AS lon, sum(ST_Y(ST_PointOnSurface(mp.geom))) AS lat
                  FROM %s r JOIN measurement_point mp ON mp.external_id = r.external_id
                  WHERE mp.grid_id IS NOT NULL GROUP BY mp.grid_id) o
            WHERE s.grid_id = o.grid_id""";

    static final String UPSERT_POINTS = """
            WITH up AS (
              INSERT INTO measurement_point AS mp (external_id, type_code, name, address, responsible_unit, geom, grid_id)
              SELECT external_id, code, name, address, responsible_unit, geom, grid_id FROM %s
              WHERE row_no >= :from AND row_no < :to
              ON CONFLICT (external_id) DO UPDATE SET type_code = EXCLUDED.type_code, name = EXCLUDED.name, address = EXCLUDED.address,
                  responsible_unit = EXCLUDED.responsible_unit, geom = EXCLUDED.geom, grid_id = EXCLUDED.grid_id, updated_at = now(),
                  version = mp.version + 1
              RETURNING (xmax = 0) AS created)
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up""";

    static final String STATS_ADD_NEW_POINTS = """
            INSERT INTO grid_map_stats AS s (grid_id, code, points, points_lon_sum, points_lat_sum)
            SELECT g.id, g.code, a.n, a.lon, a.lat
            FROM (SELECT grid_id, count(*) AS n, sum(ST_X(ST_PointOnSurface(geom))) AS lon, sum(ST_Y(ST_PointOnSurface(geom))) AS lat
                  FROM %s WHERE grid_id IS NOT NULL GROUP BY grid_id) a JOIN grid g ON g.id = a.grid_id
            ON CONFLICT (grid_id) DO UPDATE SET points = s.points + EXCLUDED.points, points_lon_sum = s.points_lon_sum + EXCLUDED.points_lon_sum,
                                                points_lat_sum = s.points_lat_sum + EXCLUDED.points_lat_sum""";

    static final String BUMP_REVISION = "UPDATE layer_revision SET revision = revision + 1 WHERE layer = :layer";

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
