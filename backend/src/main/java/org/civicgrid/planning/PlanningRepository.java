package org.civicgrid.planning;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.locationtech.jts.geom.Geometry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the planner. Area codes are a street's (9 digits) or a community's (12); ":area || '%'" selects its grids. */
@Repository
class PlanningRepository {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PlanningRepository.class);

    static final String AREA = """
            SELECT code, name, 'STREET' AS level FROM street WHERE code = :area
            UNION ALL SELECT code, name, 'COMMUNITY' FROM community WHERE code = :area""";

    static final String COMMUNITIES = "SELECT code, ST_AsBinary(boundary) FROM community WHERE code LIKE :area || '%' ORDER BY code";

    static final String LIVE_SNAPSHOT = """
            SELECT coalesce(jsonb_object_agg(code, id), '{}'::jsonb)::text FROM grid WHERE valid_to IS NULL AND code LIKE :area || '%'""";

    static final String INSERT_DRAFT = """
            INSERT INTO draft (area_code, name, created_by, based_on) VALUES (:area, :name, :user, CAST(:basedOn AS jsonb)) RETURNING id""";

    static final String COPY_LIVE_GRIDS = """
            INSERT INTO draft_grid (draft_id, code, name, geom, owner_ids, households, source_grid_id)
            SELECT :draft, g.code, g.name, g.boundary,
                   coalesce((SELECT array_agg(o.user_id ORDER BY o.user_id) FROM grid_owner o WHERE o.grid_id = g.id), '{}'),
                   g.households, g.id
            FROM grid g WHERE g.valid_to IS NULL AND g.code LIKE :area || '%' ORDER BY g.code""";

    record DraftRow(long id, String areaCode, String name, long createdBy, String status, long version, Instant createdAt, Instant updatedAt,
                    Long publicationId) {
    }

    static final String DRAFT = """
            SELECT id, area_code, name, created_by, status, version, created_at, updated_at, publication_id FROM draft WHERE id = :id""";

    static final String DRAFTS_OF_AREA = """
            SELECT d.id, d.area_code, d.name, d.status, d.version, d.created_at, d.updated_at,
                   u.id AS user_id, u.username, u.display_name,
                   (SELECT count(*) FROM draft_grid dg WHERE dg.draft_id = d.id) AS grids
            FROM draft d JOIN app_user u ON u.id = d.created_by
            WHERE (d.area_code LIKE :area || '%' OR :area LIKE d.area_code || '%')
              AND d.area_code LIKE ANY (string_to_array(:scope, ','))
              AND (CAST(:status AS varchar) IS NULL OR d.status = :status)
            ORDER BY d.updated_at DESC, d.id DESC""";

    /** OPEN drafts by other users on the same area or an area containing it / contained in it. */
    static final String OTHERS_EDITING = """
            SELECT d.id, u.id AS user_id, u.username, u.display_name, d.created_at, d.updated_at
            FROM draft d JOIN app_user u ON u.id = d.created_by
            WHERE d.status = 'OPEN' AND d.created_by <> :user AND d.id <> :draft
              AND (d.area_code LIKE :area || '%' OR :area LIKE d.area_code || '%')
            ORDER BY d.created_at, d.id""";

    /** Locks the draft and moves its version on; no row = not open or another edit came first. */
    static final String BUMP_VERSION = """
            UPDATE draft SET version = version + 1, updated_at = now()
            WHERE id = :id AND status = 'OPEN' AND (CAST(:expected AS bigint) IS NULL OR version = :expected)
            RETURNING version""";

    static final String DRAFT_FEATURES = """
            SELECT json_build_object('type', 'FeatureCollection',
                                     'features', coalesce(json_agg(json_build_object(
                                         'type', 'Feature', 'id', dg.id,
                                         'geometry', ST_AsGeoJSON(dg.geom, 9)::json,
                                         'properties', json_build_object(
                                             'key', dg.id, 'code', dg.code, 'name', dg.name, 'households', dg.households,
                                             'sourceGridId', dg.source_grid_id,
                                             'areaSqm', round(ST_Area(dg.geom::geography)::numeric, 1),
                                             'owners', coalesce(o.list, '[]'::json)))
                                         ORDER BY dg.code, dg.id), '[]'::json))::text
            FROM draft_grid dg
            LEFT JOIN LATERAL (SELECT json_agg(json_build_object('id', u.id, 'username', u.username, 'name', u.display_name,
                                                                 'phone', u.phone) ORDER BY u.id) AS list
                               FROM app_user u WHERE u.id = ANY (dg.owner_ids)) o ON true
            WHERE dg.draft_id = :draft""";

    record GridRow(long key, String code, String name, Geometry geometry, List<Long> ownerIds, Integer households, Long sourceGridId) {
    }

    static final String DRAFT_GRIDS = """
            SELECT id, code, name, ST_AsBinary(geom), owner_ids, households, source_grid_id FROM draft_grid WHERE draft_id = :draft ORDER BY id""";

    static final String DRAFT_GRID = """
            SELECT id, code, name, ST_AsBinary(geom), owner_ids, households, source_grid_id FROM draft_grid WHERE draft_id = :draft AND id = :key""";

    static final String INSERT_GRID = """
            INSERT INTO draft_grid (draft_id, code, name, geom, owner_ids, households, source_grid_id)
            VALUES (:draft, :code, :name, ST_GeomFromWKB(:wkb, 4326), CAST(string_to_array(:owners, ',') AS bigint[]), :households, :source)
            RETURNING id""";

    static final String UPDATE_GRID = """
            UPDATE draft_grid SET code = :code, name = :name, geom = ST_GeomFromWKB(:wkb, 4326),
                                  owner_ids = CAST(string_to_array(:owners, ',') AS bigint[]), households = :households
            WHERE draft_id = :draft AND id = :key""";

    static final String SAME_AS_LIVE = "SELECT ST_OrderingEquals(boundary, ST_GeomFromWKB(:wkb, 4326)) FROM grid WHERE id = :id";

    static final String DELETE_GRID = "DELETE FROM draft_grid WHERE draft_id = :draft AND id = :key";

    static final String DELETE_ALL_GRIDS = "DELETE FROM draft_grid WHERE draft_id = :draft";

    static final String UNKNOWN_USERS = """
            SELECT coalesce(string_agg(u::text, ','), '') FROM unnest(CAST(string_to_array(:owners, ',') AS bigint[])) u
            WHERE NOT EXISTS (SELECT 1 FROM app_user a WHERE a.id = u AND a.enabled)""";

    /** Live grids of the area by code (for imports: a file's grid with a live code continues that grid). */
    static final String LIVE_GRID_BY_CODE = """
            SELECT g.id, coalesce((SELECT string_agg(o.user_id::text, ',' ORDER BY o.user_id) FROM grid_owner o WHERE o.grid_id = g.id), '')
            FROM grid g WHERE g.valid_to IS NULL AND g.code = :code AND g.code LIKE :area || '%'""";

    /** Codes used under a community: every version ever, and the draft's own. */
    static final String USED_CODES = """
            SELECT code FROM grid WHERE community_code = :community
            UNION SELECT code FROM draft_grid WHERE draft_id = :draft AND code LIKE :community || '%'""";

    /** The live grids of the area that changed since the draft copied them: code, what changed, the copied and the live grid ids. */
    static final String CONFLICTS = """
            WITH live AS (SELECT code, id FROM grid WHERE valid_to IS NULL AND code LIKE :area || '%'),
                 snap AS (SELECT s.key AS code, s.value::bigint AS id FROM draft d, jsonb_each_text(d.based_on) s WHERE d.id = :draft)
            SELECT coalesce(l.code, s.code) AS code,
                   CASE WHEN s.id IS NULL THEN 'ADDED' WHEN l.id IS NULL THEN 'REMOVED' ELSE 'CHANGED' END AS change,
                   s.id AS copied_grid_id, l.id AS live_grid_id,
                   (SELECT json_build_object('id', u.id, 'username', u.username, 'name', u.display_name, 'publishedAt', p.published_at)::text
                    FROM grid lg JOIN grid_publication p ON p.id = lg.publication_id JOIN app_user u ON u.id = p.published_by
                    WHERE lg.id = l.id) AS published_by
            FROM live l FULL JOIN snap s ON s.code = l.code
            WHERE l.id IS DISTINCT FROM s.id
            ORDER BY 1""";

    /**
     * Where the area's measurement points would go with the draft's grids, by the rule of grid_for_geometry over
     * the draft's grids and the live grids outside the area: the points now in the area's live grids, in no grid
     * inside the area, or (lines and polygons) in a grid outside the area while reaching into it. to_key is the
     * draft grid, or to_outside_id the live grid outside the area that holds more of it. A point (share 0) in a
     * draft grid stays inside, so the grids outside are only looked up for lines, polygons and points in no draft grid.
     * The draft grid of each point is found from the draft's side (one index scan of the points per draft grid), not
     * per point: publishing a street re-assigns 100,000 points and more.
     */
    public static final String POINT_ASSIGNMENTS = """
            WITH live AS (SELECT id, code FROM grid WHERE valid_to IS NULL AND code LIKE :area || '%'),
                 area AS (SELECT boundary FROM street WHERE code = :area UNION ALL SELECT boundary FROM community WHERE code = :area),
                 candidates AS (SELECT m.id, m.name, m.geom, m.grid_id FROM measurement_point m
                                WHERE m.grid_id = ANY (ARRAY(SELECT id FROM live))
                                UNION ALL
                                SELECT m.id, m.name, m.geom, m.grid_id FROM measurement_point m, area a
                                WHERE (m.grid_id IS NULL OR (ST_Dimension(m.geom) > 0 AND m.grid_id NOT IN (SELECT id FROM live)))
                                  AND m.geom && a.boundary AND ST_Intersects(m.geom, a.boundary)),
                 inside AS (SELECT DISTINCT ON (m.id) m.id, d.id AS key, d.code, geometry_share(d.geom, m.geom) AS share
                            FROM draft_grid d JOIN measurement_point m ON m.geom && d.geom AND ST_Intersects(d.geom, m.geom)
                            WHERE d.draft_id = :draft
                            ORDER BY m.id, share DESC, d.id)
            SELECT c.id, c.name, c.grid_id AS from_id, fg.code AS from_code,
                   CASE WHEN inside.key IS NOT NULL AND (outside.id IS NULL OR inside.share >= outside.share) THEN inside.key END AS to_key,
                   CASE WHEN inside.key IS NOT NULL AND (outside.id IS NULL OR inside.share >= outside.share) THEN NULL ELSE outside.id END
                       AS to_outside_id,
                   CASE WHEN inside.key IS NOT NULL AND (outside.id IS NULL OR inside.share >= outside.share) THEN inside.code
                        ELSE outside.code END AS to_code
            FROM candidates c
            LEFT JOIN grid fg ON fg.id = c.grid_id
            LEFT JOIN inside ON inside.id = c.id
            LEFT JOIN LATERAL (SELECT g.id, g.code, geometry_share(g.boundary, c.geom) AS share FROM grid g
                               WHERE (inside.key IS NULL OR ST_Dimension(c.geom) > 0)
                                 AND g.valid_to IS NULL AND g.code NOT LIKE :area || '%' AND g.boundary && c.geom
                                 AND ST_Intersects(g.boundary, c.geom)
                               ORDER BY 3 DESC, g.id LIMIT 1) outside ON true""";

    /** The same for the area's open problems (points: by their location). */
    public static final String PROBLEM_ASSIGNMENTS = """
            WITH live AS (SELECT id, code FROM grid WHERE valid_to IS NULL AND code LIKE :area || '%'),
                 area AS (SELECT boundary FROM street WHERE code = :area UNION ALL SELECT boundary FROM community WHERE code = :area),
                 candidates AS (SELECT p.id, p.location, p.grid_id FROM problem p
                                WHERE p.grid_id = ANY (ARRAY(SELECT id FROM live)) AND problem_is_open(p.status)
                                UNION ALL
                                SELECT p.id, p.location, p.grid_id FROM problem p, area a
                                WHERE p.grid_id IS NULL AND problem_is_open(p.status) AND p.location && a.boundary
                                  AND ST_Intersects(p.location, a.boundary)),
                 inside AS (SELECT DISTINCT ON (p.id) p.id, d.id AS key, d.code
                            FROM draft_grid d JOIN problem p ON p.location && d.geom AND ST_Intersects(d.geom, p.location)
                                                            AND problem_is_open(p.status)
                            WHERE d.draft_id = :draft
                            ORDER BY p.id, d.id)
            SELECT c.id, c.grid_id AS from_id, fg.code AS from_code,
                   inside.key AS to_key,
                   CASE WHEN inside.key IS NULL THEN outside.id END AS to_outside_id,
                   coalesce(inside.code, outside.code) AS to_code
            FROM candidates c
            LEFT JOIN grid fg ON fg.id = c.grid_id
            LEFT JOIN inside ON inside.id = c.id
            LEFT JOIN LATERAL (SELECT g.id, g.code FROM grid g
                               WHERE inside.key IS NULL AND g.valid_to IS NULL AND g.code NOT LIKE :area || '%' AND g.boundary && c.location
                                 AND ST_Intersects(g.boundary, c.location)
                               ORDER BY g.id LIMIT 1) outside ON true""";

    /** The impact preview as one JSON document: points and open problems changing grid, each draft grid's workload. */
    public static final String IMPACT = "WITH pa AS MATERIALIZED (" + POINT_ASSIGNMENTS + "),\n pr AS MATERIALIZED (" + PROBLEM_ASSIGNMENTS + ")\n" + """
            SELECT json_build_object(
                'points', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'fromGrid', from_code, 'toGrid', to_code)
                                                    ORDER BY id), '[]'::json)
                           FROM pa WHERE from_code IS DISTINCT FROM to_code),
                'problems', (SELECT coalesce(json_agg(json_build_object('id', id, 'fromGrid', from_code, 'toGrid', to_code) ORDER BY id),
                                             '[]'::json)
                             FROM pr WHERE from_code IS DISTINCT FROM to_code),
                'workload', (SELECT coalesce(json_agg(json_build_object(
                                        'key', dg.id, 'code', dg.code, 'name', dg.name, 'points', coalesce(np.n, 0),
                                        'openProblems', coalesce(nr.n, 0), 'households', dg.households,
                                        'areaSqm', round(ST_Area(dg.geom::geography)::numeric, 1)) ORDER BY dg.code, dg.id), '[]'::json)
                             FROM draft_grid dg
                             LEFT JOIN (SELECT to_key, count(*) AS n FROM pa GROUP BY to_key) np ON np.to_key = dg.id
                             LEFT JOIN (SELECT to_key, count(*) AS n FROM pr GROUP BY to_key) nr ON nr.to_key = dg.id
                             WHERE dg.draft_id = :draft),
                'pointsLeavingArea', (SELECT count(*) FROM pa WHERE to_key IS NULL AND to_outside_id IS NOT NULL
                                                              AND from_code IS DISTINCT FROM to_code),
                'unassignedPoints', (SELECT count(*) FROM pa WHERE to_key IS NULL AND to_outside_id IS NULL),
                'unassignedProblems', (SELECT count(*) FROM pr WHERE to_key IS NULL AND to_outside_id IS NULL))::text""";

    // ---- publishing: set-based, in the caller's transaction ---------------------------------------------------

    /**
     * For the rest of the transaction: no JIT compilation (PostgreSQL compiles the preview's and publishing's big plans
     * for up to seconds, far longer than they run) and room to sort a street's points in memory.
     */
    static final String LOCAL_SETTINGS = "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)";

    static final String DROP_TEMP_TABLES = "DROP TABLE IF EXISTS planning_point_assignment, planning_problem_assignment, planning_grid_map";

    static final String LOCK_LIVE_GRIDS = "SELECT id FROM grid WHERE valid_to IS NULL AND code LIKE :area || '%' ORDER BY id FOR UPDATE";

    static final String INSERT_PUBLICATION = """
            INSERT INTO grid_publication (area_code, draft_id, published_by, effective_from, grids_ended, grids_begun,
                                          points_reassigned, problems_reassigned)
            VALUES (:area, :draft, :user, :effective, 0, 0, 0, 0) RETURNING id""";

    public static final String PUBLISH_ASSIGN_POINTS = "CREATE TEMP TABLE planning_point_assignment ON COMMIT DROP AS " + POINT_ASSIGNMENTS;

    public static final String PUBLISH_ASSIGN_PROBLEMS = "CREATE TEMP TABLE planning_problem_assignment ON COMMIT DROP AS " + PROBLEM_ASSIGNMENTS;

    /** Each draft grid with the live grid it leaves unchanged (same code, name, households, owners and exact geometry), if any. */
    public static final String PUBLISH_GRID_MAP = """
            CREATE TEMP TABLE planning_grid_map ON COMMIT DROP AS
            SELECT dg.id AS key, dg.code, g.id AS kept_id, g.id AS grid_id
            FROM draft_grid dg
            LEFT JOIN grid g ON g.id = dg.source_grid_id AND g.valid_to IS NULL AND g.code = dg.code AND g.name = dg.name
                             AND g.households IS NOT DISTINCT FROM dg.households AND ST_OrderingEquals(g.boundary, dg.geom)
                             AND (SELECT coalesce(array_agg(o.user_id ORDER BY o.user_id), '{}') FROM grid_owner o WHERE o.grid_id = g.id)
                                 = (SELECT coalesce(array_agg(u ORDER BY u), '{}') FROM unnest(dg.owner_ids) u)
            WHERE dg.draft_id = :draft""";

    public static final String PUBLISH_END_OLD_VERSIONS = """
            UPDATE grid SET valid_to = :effective
            WHERE valid_to IS NULL AND code LIKE :area || '%'
              AND id NOT IN (SELECT kept_id FROM planning_grid_map WHERE kept_id IS NOT NULL)""";

    public static final String PUBLISH_BEGIN_NEW_VERSIONS = """
            INSERT INTO grid (code, name, community_code, households, boundary, version, valid_from, publication_id)
            SELECT dg.code, dg.name, left(dg.code, 12), dg.households, dg.geom,
                   coalesce((SELECT max(h.version) FROM grid h WHERE h.code = dg.code), 0) + 1, :effective, :publication
            FROM draft_grid dg JOIN planning_grid_map m ON m.key = dg.id
            WHERE m.kept_id IS NULL
            ORDER BY dg.code""";

    public static final String PUBLISH_MAP_NEW_VERSIONS = """
            UPDATE planning_grid_map m SET grid_id = g.id FROM grid g
            WHERE m.kept_id IS NULL AND g.publication_id = :publication AND g.code = m.code""";

    public static final String PUBLISH_OWNERS = """
            INSERT INTO grid_owner (grid_id, user_id)
            SELECT DISTINCT m.grid_id, u FROM planning_grid_map m JOIN draft_grid dg ON dg.id = m.key CROSS JOIN unnest(dg.owner_ids) u
            WHERE m.kept_id IS NULL""";

    /**
     * A grid manager sees the grids of their scope: an owner of a new grid code (a split, a new grid) gets
     * that code into their scope, or they would own a grid whose problems they cannot see.
     */
    public static final String PUBLISH_OWNER_SCOPES = """
            INSERT INTO user_area_scope (user_id, area_level, area_code)
            SELECT DISTINCT o.user_id, 'GRID', g.code FROM planning_grid_map m JOIN grid g ON g.id = m.grid_id
            JOIN grid_owner o ON o.grid_id = g.id JOIN user_role r ON r.user_id = o.user_id AND r.role = 'GRID_MANAGER'
            WHERE m.kept_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM user_area_scope s WHERE s.user_id = o.user_id AND g.code LIKE s.area_code || '%')
            ON CONFLICT DO NOTHING""";

    /**
     * From here to {@link #PUBLISH_TRIGGERS_OFF} the row triggers of points and problems keep the grid_id they are given
     * and queue no statistics or revision work (V16): the moves are one statement each, the statistics are refreshed
     * per grid and the revisions bumped once afterwards.
     */
    public static final String PUBLISH_TRIGGERS_KEEP_GRID = "SELECT set_config('civicgrid.publishing_grids', 'on', true)";

    public static final String PUBLISH_TRIGGERS_OFF = "SELECT set_config('civicgrid.publishing_grids', 'off', true)";

    public static final String PUBLISH_MOVE_POINTS = """
            UPDATE measurement_point mp SET grid_id = coalesce(m.grid_id, a.to_outside_id)
            FROM planning_point_assignment a LEFT JOIN planning_grid_map m ON m.key = a.to_key
            WHERE mp.id = a.id AND mp.grid_id IS DISTINCT FROM coalesce(m.grid_id, a.to_outside_id)""";

    public static final String PUBLISH_MOVE_PROBLEMS = """
            UPDATE problem p SET grid_id = coalesce(m.grid_id, a.to_outside_id)
            FROM planning_problem_assignment a LEFT JOIN planning_grid_map m ON m.key = a.to_key
            WHERE p.id = a.id AND p.grid_id IS DISTINCT FROM coalesce(m.grid_id, a.to_outside_id)""";

    public static final String PUBLISH_PROBLEM_EVENTS = """
            INSERT INTO problem_event (problem_id, actor_id, action, from_status, to_status, note, details)
            SELECT a.id, :user, 'REASSIGN', p.status, p.status,
                   '网格调整: ' || coalesce(a.from_code, '无网格') || ' → ' || coalesce(a.to_code, '无网格'),
                   jsonb_build_object('fromGrid', a.from_code, 'toGrid', a.to_code, 'publicationId', :publication)
            FROM planning_problem_assignment a JOIN problem p ON p.id = a.id
            WHERE a.from_code IS DISTINCT FROM a.to_code""";

    /** The statistics rows of the grids points or problems left or joined, and of every new version, recomputed. */
    public static final String PUBLISH_REFRESH_STATS = """
            WITH moved AS (SELECT a.from_id, coalesce(m.grid_id, a.to_outside_id) AS to_id
                           FROM planning_point_assignment a LEFT JOIN planning_grid_map m ON m.key = a.to_key
                           UNION ALL
                           SELECT a.from_id, coalesce(m.grid_id, a.to_outside_id)
                           FROM planning_problem_assignment a LEFT JOIN planning_grid_map m ON m.key = a.to_key)
            SELECT refresh_grid_map_stats(ARRAY(
                SELECT from_id FROM moved WHERE from_id IS DISTINCT FROM to_id AND from_id IS NOT NULL
                UNION SELECT to_id FROM moved WHERE from_id IS DISTINCT FROM to_id AND to_id IS NOT NULL
                UNION SELECT grid_id FROM planning_grid_map WHERE kept_id IS NULL))""";

    /** Cached map answers of points and problems stop matching (the grid rows bump the grids' revision themselves). */
    public static final String PUBLISH_BUMP_REVISIONS = "UPDATE layer_revision SET revision = revision + 1 WHERE layer IN ('points', 'problems')";

    /**
     * Publishing after the publication row is written, statement by statement in this order (parameters :draft, :area,
     * :effective, :publication, :user; statements starting with SELECT answer rows). The service runs exactly these.
     */
    public static final List<String> PUBLISH_STATEMENTS = List.of(
            LOCAL_SETTINGS, DROP_TEMP_TABLES, PUBLISH_ASSIGN_POINTS, PUBLISH_ASSIGN_PROBLEMS, PUBLISH_GRID_MAP, PUBLISH_END_OLD_VERSIONS,
            PUBLISH_BEGIN_NEW_VERSIONS, PUBLISH_MAP_NEW_VERSIONS, PUBLISH_OWNERS, PUBLISH_OWNER_SCOPES, PUBLISH_TRIGGERS_KEEP_GRID,
            PUBLISH_MOVE_POINTS, PUBLISH_MOVE_PROBLEMS, PUBLISH_TRIGGERS_OFF, PUBLISH_PROBLEM_EVENTS, PUBLISH_REFRESH_STATS,
            PUBLISH_BUMP_REVISIONS);

    static final String REASSIGNED_POINT_IDS = """
            SELECT id FROM planning_point_assignment WHERE from_code IS DISTINCT FROM to_code ORDER BY id""";

    static final String REASSIGNED_PROBLEM_IDS = """
            SELECT id FROM planning_problem_assignment WHERE from_code IS DISTINCT FROM to_code ORDER BY id""";

    static final String FINISH_PUBLICATION = """
            UPDATE grid_publication SET grids_ended = :ended, grids_begun = :begun, points_reassigned = :points,
                                        problems_reassigned = :problems WHERE id = :publication""";

    static final String MARK_PUBLISHED = """
            UPDATE draft SET status = 'PUBLISHED', publication_id = :publication, version = version + 1, updated_at = now() WHERE id = :draft""";

    static final String DISCARD = "UPDATE draft SET status = 'DISCARDED', version = version + 1, updated_at = now() WHERE id = :draft AND status = 'OPEN'";

    // ---- history -------------------------------------------------------------------------------------------------

    static final String PUBLICATIONS = """
            SELECT coalesce(json_agg(json_build_object(
                       'publicationId', p.id, 'areaCode', p.area_code, 'draftId', p.draft_id, 'draftName', d.name,
                       'publishedAt', p.published_at, 'effectiveFrom', p.effective_from,
                       'publishedBy', json_build_object('id', u.id, 'username', u.username, 'name', u.display_name),
                       'gridsEnded', p.grids_ended, 'gridsBegun', p.grids_begun,
                       'pointsReassigned', p.points_reassigned, 'problemsReassigned', p.problems_reassigned)
                   ORDER BY p.published_at DESC, p.id DESC), '[]'::json)::text
            FROM grid_publication p JOIN app_user u ON u.id = p.published_by JOIN draft d ON d.id = p.draft_id
            WHERE (p.area_code LIKE :area || '%' OR :area LIKE p.area_code || '%')""";

    static final String VERSIONS = """
            SELECT coalesce(json_agg(json_build_object(
                       'id', g.id, 'code', g.code, 'name', g.name, 'version', g.version, 'validFrom', g.valid_from, 'validTo', g.valid_to,
                       'publicationId', g.publication_id) ORDER BY g.code, g.version), '[]'::json)::text
            FROM grid g WHERE g.code LIKE :area || '%'""";

    static final String GRIDS_AT = """
            SELECT json_build_object('type', 'FeatureCollection', 'at', CAST(:at AS date),
                                     'features', coalesce(json_agg(json_build_object(
                                         'type', 'Feature', 'id', g.id, 'geometry', ST_AsGeoJSON(g.boundary, 9)::json,
                                         'properties', json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'version', g.version,
                                                                         'validFrom', g.valid_from, 'validTo', g.valid_to,
                                                                         'households', g.households, 'publicationId', g.publication_id))
                                         ORDER BY g.code), '[]'::json))::text
            FROM grid g
            WHERE g.code LIKE :area || '%' AND g.valid_from <= CAST(:at AS date) AND (g.valid_to IS NULL OR g.valid_to > CAST(:at AS date))""";

    record ExportRow(String code, String name, Integer households, String owners, Geometry geometry) {
    }

    static final String LIVE_EXPORT = """
            SELECT g.code, g.name, g.households,
                   coalesce((SELECT string_agg(u.username, ',' ORDER BY u.username) FROM grid_owner o JOIN app_user u ON u.id = o.user_id
                             WHERE o.grid_id = g.id), ''),
                   ST_AsBinary(g.boundary)
            FROM grid g WHERE g.valid_to IS NULL AND g.code LIKE :area || '%' ORDER BY g.code""";

    static final String DRAFT_EXPORT = """
            SELECT dg.code, dg.name, dg.households,
                   coalesce((SELECT string_agg(u.username, ',' ORDER BY u.username) FROM app_user u WHERE u.id = ANY (dg.owner_ids)), ''),
                   ST_AsBinary(dg.geom)
            FROM draft_grid dg WHERE dg.draft_id = :draft ORDER BY dg.code, dg.id""";

    static final String OWNER_IDS_BY_USERNAME = "SELECT id FROM app_user WHERE username = :username";

    private final JdbcClient jdbc;

    PlanningRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    record Area(String code, String name, String level) {
    }

    Optional<Area> area(String code) {
        return jdbc.sql(AREA).param("area", code).query((rs, n) -> new Area(rs.getString(1), rs.getString(2), rs.getString(3))).optional();
    }

    List<DraftValidator.Community> communities(String area) {
        return jdbc.sql(COMMUNITIES).param("area", area)
                .query((rs, n) -> new DraftValidator.Community(rs.getString(1), GridGeometry.wkb(rs.getBytes(2)))).list();
    }

    Optional<DraftRow> draft(long id) {
        return jdbc.sql(DRAFT).param("id", id).query((rs, n) -> new DraftRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getLong(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(),
                (Long) rs.getObject(9))).optional();
    }

    List<GridRow> grids(long draft) {
        return jdbc.sql(DRAFT_GRIDS).param("draft", draft).query(PlanningRepository::gridRow).list();
    }

    Optional<GridRow> grid(long draft, long key) {
        return jdbc.sql(DRAFT_GRID).param("draft", draft).param("key", key).query(PlanningRepository::gridRow).optional();
    }

    private static GridRow gridRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Long[] owners = (Long[]) rs.getArray(5).getArray();
        return new GridRow(rs.getLong(1), rs.getString(2), rs.getString(3), GridGeometry.wkb(rs.getBytes(4)), List.of(owners),
                (Integer) rs.getObject(6), (Long) rs.getObject(7));
    }

    long insertGrid(long draft, String code, String name, Geometry geometry, List<Long> owners, Integer households, Long source) {
        return jdbc.sql(INSERT_GRID).param("draft", draft).param("code", code).param("name", name).param("wkb", GridGeometry.wkb(geometry))
                .param("owners", joined(owners)).param("households", households).param("source", source).query(Long.class).single();
    }

    void updateGrid(long draft, long key, String code, String name, Geometry geometry, List<Long> owners, Integer households) {
        jdbc.sql(UPDATE_GRID).param("draft", draft).param("key", key).param("code", code).param("name", name)
                .param("wkb", GridGeometry.wkb(geometry)).param("owners", joined(owners)).param("households", households).update();
    }

    static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    /** Runs {@link #PUBLISH_STATEMENTS} in the caller's transaction; answers each statement's update count (-1 for those answering rows). */
    Map<String, Integer> runPublishStatements(Map<String, ?> parameters) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (String sql : PUBLISH_STATEMENTS) {
            long start = System.nanoTime();
            if (ANSWERING_ROWS.contains(sql)) {
                jdbc.sql(sql).params(parameters).query().listOfRows();
                counts.put(sql, -1);
            } else {
                counts.put(sql, jdbc.sql(sql).params(parameters).update());
            }
            if (log.isDebugEnabled()) {
                log.debug("publish: {} ms, {} rows: {}", (System.nanoTime() - start) / 1_000_000, counts.get(sql),
                        sql.substring(0, Math.min(90, sql.length())).replace('\n', ' '));
            }
        }
        return counts;
    }

    private static final java.util.Set<String> ANSWERING_ROWS = java.util.Set.of(LOCAL_SETTINGS, PUBLISH_TRIGGERS_KEEP_GRID, PUBLISH_TRIGGERS_OFF,
            PUBLISH_REFRESH_STATS);

    List<ExportRow> export(String sql, String param, Object value) {
        return jdbc.sql(sql).param(param, value).query((rs, n) -> new ExportRow(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3),
                rs.getString(4), GridGeometry.wkb(rs.getBytes(5)))).list();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }

    static java.sql.Date date(LocalDate day) {
        return java.sql.Date.valueOf(day);
    }
}
