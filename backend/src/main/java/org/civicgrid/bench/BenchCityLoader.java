package org.civicgrid.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.civicgrid.problems.Deadlines;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTWriter;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Loads a generated benchmark city (millions of rows) with PostgreSQL COPY: row triggers are switched
 * off for the bulk load and their work is done set-based afterwards (grid of each point by a spatial
 * join, a problem's grid from its point). The demo city's row-by-row loader would take hours at this size.
 */
final class BenchCityLoader {

    private static final Logger log = LoggerFactory.getLogger(BenchCityLoader.class);
    private static final int BATCH_ROWS = 50_000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Deadlines deadlines;

    BenchCityLoader(DataSource dataSource, ObjectMapper json, Deadlines deadlines) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.deadlines = deadlines;
    }

    void load(Path city) throws IOException, SQLException {
        Instant started = Instant.now();
        jdbc.execute("ALTER TABLE measurement_point DISABLE TRIGGER USER");
        jdbc.execute("ALTER TABLE problem DISABLE TRIGGER USER");
        jdbc.execute("ALTER TABLE grid DISABLE TRIGGER USER");
        try {
            copyAreas(city.resolve("areas.geojson"));
            copyFeatures(city.resolve("grids.geojson"), "grid (code, name, community_code, households, boundary)",
                    (p, wkt) -> csv(p.path("code").asString(), p.path("name").asString(), p.path("communityCode").asString(),
                            p.path("households").asString(), wkt));
            copyFeatures(city.resolve("points.geojson"), "measurement_point (external_id, type_code, name, address, responsible_unit, geom)",
                    (p, wkt) -> csv(p.path("externalId").asString(), p.path("typeCode").asString(), p.path("name").asString(),
                            p.path("address").asString(), p.path("responsibleUnit").asString(), wkt));
            log.info("Assigning points to grids (spatial join)");
            jdbc.execute("""
                    UPDATE measurement_point mp SET grid_id = g.id FROM grid g
                    WHERE g.valid_to IS NULL AND ST_Covers(g.boundary, ST_PointOnSurface(mp.geom))""");
            copyProblems(city.resolve("problems.csv"));
        } finally {
            jdbc.execute("ALTER TABLE grid ENABLE TRIGGER USER");
            jdbc.execute("ALTER TABLE measurement_point ENABLE TRIGGER USER");
            jdbc.execute("ALTER TABLE problem ENABLE TRIGGER USER");
        }
        log.info("Computing the per-grid map statistics");
        jdbc.execute("SELECT rebuild_grid_map_stats()");
        log.info("Counting problems per week in heatmap hexagons");
        jdbc.execute("SELECT rebuild_problem_heat_week()");
        jdbc.execute("ANALYZE");
        log.info("Benchmark city loaded in {} s", Duration.between(started, Instant.now()).toSeconds());
    }

    private void copyAreas(Path file) throws IOException, SQLException {
        Map<String, StringBuilder> byLevel = new HashMap<>();
        forEachFeature(file, (p, geometry) -> byLevel.computeIfAbsent(p.path("level").asString(), l -> new StringBuilder())
                .append(switch (p.path("level").asString()) {
                    case "district" -> csv(p.path("code").asString(), p.path("name").asString(), multi(geometry));
                    case "community" -> csv(p.path("code").asString(), p.path("parentCode").asString(), p.path("name").asString(),
                            p.path("households").asString(), multi(geometry));
                    default -> csv(p.path("code").asString(), p.path("parentCode").asString(), p.path("name").asString(), multi(geometry));
                }));
        copy("district (code, name, boundary)", byLevel.getOrDefault("district", new StringBuilder()).toString());
        copy("street (code, district_code, name, boundary)", byLevel.getOrDefault("street", new StringBuilder()).toString());
        copy("community (code, street_code, name, households, boundary)", byLevel.getOrDefault("community", new StringBuilder()).toString());
    }

    private interface RowMaker {
        String row(JsonNode properties, String ewkt);
    }

    private void copyFeatures(Path file, String target, RowMaker rows) throws IOException, SQLException {
        StringBuilder batch = new StringBuilder();
        long[] count = {0};
        SqlConsumer flush = text -> copy(target, text);
        forEachFeature(file, (p, geometry) -> {
            batch.append(rows.row(p, "SRID=4326;" + new WKTWriter().write(geometry)));
            if (++count[0] % BATCH_ROWS == 0) {
                flushQuietly(flush, batch);
            }
        });
        flushQuietly(flush, batch);
        log.info("Copied {} rows into {}", count[0], target.substring(0, target.indexOf(' ')));
    }

    private void copyProblems(Path file) throws IOException, SQLException {
        Map<String, long[]> points = new HashMap<>();
        jdbc.query("SELECT external_id, id, coalesce(grid_id, 0) FROM measurement_point",
                rs -> { points.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}); });
        Map<String, Duration> limits = new HashMap<>();
        jdbc.query("SELECT code, time_limit_hours FROM problem_category",
                rs -> { limits.put(rs.getString(1), Deadlines.hours(rs.getDouble(2))); });
        String target = "problem (external_id, point_id, grid_id, category_code, status, location, description, reported_at, accepted_at, "
                + "dispatched_at, warning_at, deadline_at, closed_at, handler_department_code, rework_count)";
        StringBuilder batch = new StringBuilder();
        long count = 0;
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser rows = format.parse(reader)) {
            for (CSVRecord r : rows) {
                long[] point = points.getOrDefault(r.get("point_external_id"), new long[] {0, 0});
                Instant accepted = instant(r.get("accepted_at"));
                Deadlines.Window window = accepted == null ? null : deadlines.from(accepted, limits.get(r.get("category_code")));
                batch.append(csv(r.get("external_id"), point[0] == 0 ? "" : String.valueOf(point[0]), point[1] == 0 ? "" : String.valueOf(point[1]),
                        r.get("category_code"), r.get("status"), "SRID=4326;POINT(" + r.get("lon") + " " + r.get("lat") + ")", r.get("description"),
                        r.get("reported_at"), r.get("accepted_at"), r.get("dispatched_at"),
                        window == null ? "" : window.warningAt().toString(), window == null ? "" : window.deadlineAt().toString(),
                        r.get("closed_at"), r.get("handler_department_code"), r.get("rework_count")));
                if (++count % BATCH_ROWS == 0) {
                    copy(target, batch.toString());
                    batch.setLength(0);
                    if (count % 1_000_000 == 0) {
                        log.info("Copied {} problems", count);
                    }
                }
            }
        }
        copy(target, batch.toString());
        log.info("Copied {} problems", count);
    }

    private void copy(String target, String csvRows) throws SQLException {
        if (csvRows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            try (Reader rows = new StringReader(csvRows)) {
                pg.getCopyAPI().copyIn("COPY " + target + " FROM STDIN (FORMAT csv, NULL '')", rows);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private interface SqlConsumer {
        void accept(String text) throws SQLException;
    }

    private static void flushQuietly(SqlConsumer flush, StringBuilder batch) {
        try {
            flush.accept(batch.toString());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        batch.setLength(0);
    }

    /** The generator writes one GeoJSON feature per line, so millions of features stream without a full parse. */
    private void forEachFeature(Path file, java.util.function.BiConsumer<JsonNode, Geometry> action) throws IOException {
        GeoJsonReader geometries = new GeoJsonReader();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                if (!trimmed.startsWith("{\"type\":\"Feature\"")) {
                    continue;
                }
                if (trimmed.endsWith(",")) {
                    trimmed = trimmed.substring(0, trimmed.length() - 1);
                }
                JsonNode feature = json.readTree(trimmed);
                try {
                    action.accept(feature.path("properties"), geometries.read(feature.path("geometry").toString()));
                } catch (ParseException e) {
                    throw new IOException("Bad geometry in " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static String multi(Geometry geometry) {
        Geometry multi = geometry instanceof Polygon polygon
                ? polygon.getFactory().createMultiPolygon(new Polygon[] {polygon}) : geometry;
        if (!(multi instanceof MultiPolygon)) {
            throw new IllegalArgumentException("Area boundary is not a polygon: " + geometry.getGeometryType());
        }
        return "SRID=4326;" + new WKTWriter().write(multi);
    }

    private static Instant instant(String iso) {
        return iso == null || iso.isBlank() ? null : OffsetDateTime.parse(iso).toInstant();
    }

    private static String csv(String... cells) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i] == null || cells[i].equals("null") ? "" : cells[i];
            if (i > 0) {
                row.append(',');
            }
            if (cell.isEmpty()) {
                continue;
            }
            row.append('"').append(cell.replace("\"", "\"\"")).append('"');
        }
        return row.append('\n').toString();
    }
}
