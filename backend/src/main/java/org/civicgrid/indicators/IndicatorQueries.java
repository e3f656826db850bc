package org.civicgrid.indicators;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;

/**
 * The SQL behind the indicator and heatmap endpoints with their named parameters, without HTTP: the
 * benchmark runs {@code jdbc.sql(indicatorsSql()).params(indicatorsParameters(...))} beside the endpoint.
 * Every statement is fixed text; all values are bound parameters.
 */
public final class IndicatorQueries {

    private IndicatorQueries() {
    }

    /** The grids of the area's subtree inside the caller's scope (every version of a grid, as problems keep theirs). */
    static final String AREA_GRIDS = """
            WITH ag AS MATERIALIZED (
                SELECT id FROM grid WHERE code LIKE :area AND code LIKE ANY (string_to_array(:scope, ',')))
            """;

    /** Filters on a problem {@code p}: category, special action (through the category), and a handler's department. */
    static final String FILTERS = """
             AND (CAST(:category AS varchar) IS NULL OR p.category_code = :category)
             AND (CAST(:action AS varchar) IS NULL
                  OR p.category_code IN (SELECT fc.code FROM problem_category fc WHERE fc.action_code = :action))
             AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """;

    private static final String IN_AREA = " p.grid_id IN (SELECT id FROM ag) ";

    /** Overdue at :e — open at that instant (not closed by then), deadline before it, not rejected or suspended. */
    private static final String OVERDUE = "(SELECT count(*) FROM problem p WHERE" + IN_AREA + """
             AND p.closed_at IS NULL AND p.deadline_at IS NOT NULL AND p.status NOT IN ('REJECTED', 'SUSPENDED')
             AND p.deadline_at < :e""" + "\n" + FILTERS + ")\n + (SELECT count(*) FROM problem p WHERE" + IN_AREA + """
             AND p.closed_at > p.deadline_at AND p.deadline_at < :e AND p.closed_at >= :e""" + "\n" + FILTERS + ")";

    static final String INDICATORS = AREA_GRIDS + """
            SELECT (SELECT count(*) FROM problem p WHERE""" + IN_AREA + """
                     AND p.reported_at >= :f AND p.reported_at < :t""" + "\n" + FILTERS + """
                   ) AS reported,
                   (SELECT count(*) FROM problem p WHERE""" + IN_AREA + """
                     AND p.accepted_at >= :f AND p.accepted_at < :t""" + "\n" + FILTERS + """
                   ) AS accepted,
                   c.closed, c.closed_on_time, c.median_hours,
                   """ + OVERDUE + """
                    AS overdue,
                   d.dispatched, d.handled, ev.submits, ev.returns, i.inspections, i.score_sum
            FROM (SELECT count(*) AS closed, count(*) FILTER (WHERE p.closed_at <= p.deadline_at) AS closed_on_time,
                         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.closed_at - p.reported_at) / 3600) AS median_hours
                  FROM problem p WHERE""" + IN_AREA + " AND p.closed_at >= :f AND p.closed_at < :t\n" + FILTERS + """
                 ) c,
                 (SELECT count(*) AS dispatched,
                         count(*) FILTER (WHERE p.closed_at < :e OR p.submitted_at < :e
                             OR EXISTS (SELECT 1 FROM problem_event se WHERE se.problem_id = p.id AND se.action = 'SUBMIT'
                                        AND se.occurred_at < :e)) AS handled
                  FROM problem p WHERE""" + IN_AREA + " AND p.dispatched_at >= :f AND p.dispatched_at < :t\n" + FILTERS + """
                 ) d,
                 (SELECT count(*) FILTER (WHERE ev.action = 'SUBMIT') AS submits, count(*) FILTER (WHERE ev.action = 'RETURN') AS returns
                  FROM problem_event ev JOIN problem p ON p.id = ev.problem_id
                  WHERE ev.action IN ('SUBMIT', 'RETURN') AND ev.occurred_at >= :f AND ev.occurred_at < :t AND""" + IN_AREA + "\n"
            + FILTERS + """
                 ) ev,
                 (SELECT count(*) AS inspections, sum(i.score_rate) AS score_sum FROM inspection i
                  WHERE i.status = 'SUBMITTED' AND i.score_rate IS NOT NULL AND i.grid_id IN (SELECT id FROM ag)
                    AND i.submitted_at >= :f AND i.submitted_at < :t) i""";

    static final String BREAKDOWN = AREA_GRIDS + """
            , flows AS (
                SELECT p.category_code, 1 AS reported,
                       CASE WHEN p.status <> 'REJECTED' AND (p.closed_at IS NULL OR p.closed_at >= :e) THEN 1 ELSE 0 END AS open,
                       0 AS closed, 0 AS overdue
                FROM problem p WHERE""" + IN_AREA + " AND p.reported_at >= :f AND p.reported_at < :t\n" + FILTERS + """
                UNION ALL
                SELECT p.category_code, 0, 0, 1, 0 FROM problem p WHERE""" + IN_AREA + " AND p.closed_at >= :f AND p.closed_at < :t\n"
            + FILTERS + """
                UNION ALL
                SELECT p.category_code, 0, 0, 0, 1 FROM problem p WHERE""" + IN_AREA + """
                 AND p.closed_at IS NULL AND p.deadline_at IS NOT NULL AND p.status NOT IN ('REJECTED', 'SUSPENDED') AND p.deadline_at < :e
            """ + FILTERS + """
                UNION ALL
                SELECT p.category_code, 0, 0, 0, 1 FROM problem p WHERE""" + IN_AREA + """
                 AND p.closed_at > p.deadline_at AND p.deadline_at < :e AND p.closed_at >= :e
            """ + FILTERS + """
            )
            SELECT k.code, k.name, sum(f.reported) AS reported, sum(f.open) AS open, sum(f.closed) AS closed, sum(f.overdue) AS overdue
            FROM flows f JOIN problem_category c ON c.code = f.category_code JOIN special_action a ON a.code = c.action_code
            CROSS JOIN LATERAL (SELECT CASE WHEN :by = 'action' THEN a.code ELSE c.code END AS code,
                                       CASE WHEN :by = 'action' THEN a.name_zh ELSE c.name_zh END AS name) k
            GROUP BY k.code, k.name
            ORDER BY sum(f.reported) DESC, k.code""";

    /**
     * Problems reported in the period inside the box and the caller's scope, each in the hexagon (EPSG:3857,
     * edge :size metres, origin 0,0 — so a cell keeps its id between requests at one zoom) that holds it
     * (hex_cell, V12: arithmetic on plain columns — OFFSET 0 keeps them columns so it is inlined — the same cells as ST_Hexagon draws); a point on a shared edge goes to the lowest (i, j).
     */
    static final String HEX_CELLS = """
            WITH cells AS MATERIALIZED (
                SELECT p.id, p.category_code, p.point_id, h.i, h.j
                FROM problem p JOIN grid g ON g.id = p.grid_id
                CROSS JOIN LATERAL (SELECT ST_X(t.m) AS x, ST_Y(t.m) AS y FROM (SELECT ST_Transform(p.location, 3857) AS m) t OFFSET 0) pm
                CROSS JOIN LATERAL (SELECT hc.c[1] AS i, hc.c[2] AS j FROM (SELECT hex_cell(pm.x, pm.y, :size) AS c) hc) h
                WHERE p.location && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
                  AND g.code LIKE ANY (string_to_array(:scope, ','))
                  AND p.reported_at >= :f AND p.reported_at < :t
                  AND (:status = 'all' OR (:status = 'open' AND problem_is_open(p.status)) OR (:status = 'closed' AND p.status = 'CLOSED'))
            """ + FILTERS + """
            ), bins AS (
                SELECT i, j, count(*) AS n, concat(:zoom, '/', i, '/', j) AS cell_id FROM cells GROUP BY i, j)
            """;

    static final String HEATMAP = HEX_CELLS + """
            SELECT json_build_object('type', 'FeatureCollection', 'cellSizeMeters', CAST(:size AS float8),
                   'max', coalesce(max(b.n), 0),
                   'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', b.cell_id,
                       'geometry', ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Hexagon(:size, b.i, b.j), 3857), 4326), 6)::json,
                       'properties', json_build_object('count', b.n, 'cellId', b.cell_id)) ORDER BY b.i, b.j), '[]'::json))::text
            FROM bins b""";

    /**
     * The same answer from the weekly hexagon counts (V12), for whole weeks at the zooms kept, when nothing
     * narrows the problems down and the caller sees the whole city: reads one row per hexagon and week.
     * A hexagon counts when its centre lies in the box.
     */
    static final String HEATMAP_PRECOMPUTED = """
            WITH box AS (SELECT ST_Transform(ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326), 3857) AS m),
            bins AS (
                SELECT h.i, h.j, sum(h.n) AS n, concat(:zoom, '/', h.i, '/', h.j) AS cell_id
                FROM problem_heat_week h CROSS JOIN box
                WHERE h.zoom = :zoom AND h.week_start BETWEEN CAST(:fromWeek AS date) AND CAST(:toWeek AS date)
                  AND (:status = 'all' OR (:status = 'open' AND h.status_class = 'O') OR (:status = 'closed' AND h.status_class = 'C'))
                  AND 1.5 * :size * h.i BETWEEN ST_XMin(box.m) AND ST_XMax(box.m)
                  AND :size * sqrt(3) / 2 * (2 * h.j + abs(h.i % 2)) BETWEEN ST_YMin(box.m) AND ST_YMax(box.m)
                GROUP BY h.i, h.j HAVING sum(h.n) > 0)
            """ + HEATMAP.substring(HEATMAP.indexOf("SELECT json_build_object"));

    /** Zooms whose hexagons are kept per week (heat_zoom, V12). */
    static final int PRECOMPUTED_MAX_ZOOM = 12;
    static final int PRECOMPUTED_MIN_ZOOM = 8;

    /** Whether {@link #HEATMAP_PRECOMPUTED} answers this request exactly as {@link #HEATMAP} would (up to the centre rule). */
    public static boolean heatmapPrecomputable(CallerScope scope, int zoom, Period period, IndicatorFilters filters) {
        return scope.wholeCity() && scope.departmentCode().isEmpty() && filters.category() == null && filters.action() == null
                && zoom >= PRECOMPUTED_MIN_ZOOM && zoom <= PRECOMPUTED_MAX_ZOOM
                && period.from().getDayOfWeek() == java.time.DayOfWeek.MONDAY && period.to().getDayOfWeek() == java.time.DayOfWeek.SUNDAY;
    }

    /** {@code GET /api/heatmap} for whole weeks of the whole city: one text column, the GeoJSON FeatureCollection. */
    public static String heatmapPrecomputedSql() {
        return HEATMAP_PRECOMPUTED;
    }

    static final String HOTSPOTS = HEX_CELLS + """
            , top AS (SELECT * FROM bins ORDER BY n DESC, i, j LIMIT :limit)
            SELECT json_build_object('hotspots', coalesce(json_agg(json_build_object(
                       'cellId', t.cell_id, 'lon', round(ST_X(c.geom)::numeric, 6), 'lat', round(ST_Y(c.geom)::numeric, 6), 'count', t.n,
                       'topCategories', (SELECT coalesce(json_agg(x), '[]'::json) FROM (
                           SELECT cl.category_code AS code, pc.name_zh AS name, count(*) AS count
                           FROM cells cl JOIN problem_category pc ON pc.code = cl.category_code
                           WHERE cl.i = t.i AND cl.j = t.j GROUP BY cl.category_code, pc.name_zh
                           ORDER BY count(*) DESC, cl.category_code LIMIT 3) x),
                       'topPoints', (SELECT coalesce(json_agg(y), '[]'::json) FROM (
                           SELECT cl.point_id AS id, mp.name, count(*) AS count
                           FROM cells cl JOIN measurement_point mp ON mp.id = cl.point_id
                           WHERE cl.i = t.i AND cl.j = t.j GROUP BY cl.point_id, mp.name
                           ORDER BY count(*) DESC, cl.point_id LIMIT 3) y))
                   ORDER BY t.n DESC, t.i, t.j), '[]'::json))::text
            FROM top t CROSS JOIN LATERAL (SELECT ST_Transform(ST_Centroid(ST_SetSRID(ST_Hexagon(:size, t.i, t.j), 3857)), 4326) AS geom) c""";

    /** {@code GET /api/indicators}: one row with the raw counts (see {@link Indicators} for the formulas). */
    public static String indicatorsSql() {
        return INDICATORS;
    }

    /** {@code GET /api/indicators/breakdown}: rows code, name, reported, open, closed, overdue. */
    public static String breakdownSql() {
        return BREAKDOWN;
    }

    /** {@code GET /api/heatmap}: one text column, the GeoJSON FeatureCollection. */
    public static String heatmapSql() {
        return HEATMAP;
    }

    /** {@code GET /api/heatmap/hotspots}: one text column, the JSON answer. */
    public static String hotspotsSql() {
        return HOTSPOTS;
    }

    /** Parameters of {@link #indicatorsSql()} (and, with {@code by}, of {@link #breakdownSql()}); stocks are taken at min(period end, now). */
    public static Map<String, Object> indicatorsParameters(CallerScope scope, String areaCode, Period period, IndicatorFilters filters,
                                                           Instant now) {
        Map<String, Object> parameters = common(scope, period, filters);
        parameters.put("area", areaCode + "%");
        parameters.put("e", timestamp(period.stockAt(now)));
        return parameters;
    }

    public static Map<String, Object> breakdownParameters(CallerScope scope, String areaCode, Period period, IndicatorFilters filters,
                                                          String by, Instant now) {
        Map<String, Object> parameters = indicatorsParameters(scope, areaCode, period, filters, now);
        parameters.put("by", by);
        return parameters;
    }

    /** Parameters of {@link #heatmapSql()}; status is open, closed or all. */
    public static Map<String, Object> heatmapParameters(CallerScope scope, BoundingBox box, int zoom, Period period, IndicatorFilters filters,
                                                        String status) {
        Map<String, Object> parameters = common(scope, period, filters);
        parameters.put("minLon", box.minLon());
        parameters.put("minLat", box.minLat());
        parameters.put("maxLon", box.maxLon());
        parameters.put("maxLat", box.maxLat());
        parameters.put("zoom", zoom);
        parameters.put("size", hexSizeMeters(zoom));
        parameters.put("status", status);
        parameters.put("fromWeek", period.from());
        parameters.put("toWeek", period.to());
        return parameters;
    }

    public static Map<String, Object> hotspotsParameters(CallerScope scope, BoundingBox box, int zoom, Period period, IndicatorFilters filters,
                                                         String status, int limit) {
        Map<String, Object> parameters = heatmapParameters(scope, box, zoom, period, filters, status);
        parameters.put("limit", limit);
        return parameters;
    }

    /**
     * The hexagon edge in EPSG:3857 metres for a zoom: 20 screen pixels, so a hexagon is 30 pixels from
     * column to column and a 1280-pixel-wide viewport shows about 43 columns (and 800 pixels about 23 rows).
     */
    public static double hexSizeMeters(int zoom) {
        double metersPerPixel = 2 * Math.PI * 6378137 / (256 * Math.pow(2, zoom));
        return Math.round(20 * metersPerPixel * 100) / 100.0;
    }

    private static Map<String, Object> common(CallerScope scope, Period period, IndicatorFilters filters) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("scope", scope.codePatterns());
        parameters.put("department", scope.departmentCode().orElse(null));
        parameters.put("f", timestamp(period.start()));
        parameters.put("t", timestamp(period.end()));
        parameters.put("category", filters.category());
        parameters.put("action", filters.action());
        return parameters;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
