package org.civicgrid.transfer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.civicgrid.security.CallerScope;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Import speed for the benchmark: a GeoJSON file of points through the same path as POST /api/imports and its
 * commit (parse → COPY into staging → set-based checks → one INSERT … SELECT … ON CONFLICT transaction), as a
 * whole-city administrator. Beside it the lead runs GDAL into the same database, e.g.
 * <pre>
 * ogr2ogr -f PostgreSQL PG:"host=localhost port=5432 dbname=civicgrid user=civicgrid password=…" points.geojson \
 *         -nln ogr_bench_points -overwrite -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST
 * </pre>
 * (ogr2ogr uses COPY for a new table by default; its time includes building the spatial index.)
 */
@Component
public class ImportBenchmark {

    /** What one run measured. */
    public record Result(int rows, int created, int updated, Duration preview, Duration commit) {
        public Duration total() {
            return preview.plus(commit);
        }
    }

    private final ImportService imports;
    private final JdbcClient jdbc;

    ImportBenchmark(ImportService imports, JdbcClient jdbc) {
        this.imports = imports;
        this.jdbc = jdbc;
    }

    /**
     * Imports the points of a GeoJSON FeatureCollection (properties external_id, type_code, name, …) and returns the
     * time taken; the file's size is not limited here (the upload endpoint takes at most 50 MB).
     */
    public Result importPoints(Path geojson) throws IOException {
        CurrentUser admin = wholeCityAdmin();
        byte[] content = Files.readAllBytes(geojson);
        Instant started = Instant.now();
        ImportJob job = imports.preview(admin, ImportKind.POINTS, InputCrs.WGS84, geojson.getFileName().toString(), content);
        Duration preview = Duration.between(started, Instant.now());
        if (job.errorCount() > 0) {
            throw new IllegalStateException("The benchmark file has " + job.errorCount() + " errors, e.g. " + job.errors().path(0));
        }
        jdbc.sql(ImportSql.CLAIM).param("id", job.id()).param("user", admin.id()).update();
        Duration commit = imports.runCommit(admin, job);
        ImportJob done = imports.job(admin, job.id());
        return new Result(done.totalRows(), done.creates(), done.updates(), preview, commit);
    }

    /**
     * Writes a GeoJSON file of {@code count} points spread over the current grids (random places inside them), with
     * external ids {@code prefix-1…} and a point type that takes points; returns the file.
     */
    public Path writePointFile(Path file, int count, String prefix) throws IOException {
        long grids = jdbc.sql("SELECT count(*) FROM grid WHERE valid_to IS NULL").query(Long.class).single();
        int perGrid = (int) Math.max(1, (count + grids - 1) / Math.max(1, grids));
        String type = jdbc.sql("SELECT code FROM point_type WHERE geometry_kind = 'POINT' ORDER BY sort_order, code LIMIT 1")
                .query(String.class).single();
        List<double[]> places = jdbc.sql("""
                SELECT ST_X(p.geom), ST_Y(p.geom) FROM grid g CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.boundary, :per, 42)) p
                WHERE g.valid_to IS NULL LIMIT :n""").param("per", perGrid).param("n", count)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).list();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
            for (int i = 0; i < places.size(); i++) {
                out.write("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + places.get(i)[0] + "," + places.get(i)[1]
                        + "]},\"properties\":{\"external_id\":\"" + prefix + "-" + (i + 1) + "\",\"type_code\":\"" + type
                        + "\",\"name\":\"基准点位 " + (i + 1) + "\",\"address\":\"测试路 " + (i + 1) + " 号\",\"responsible_unit\":\"基准单位\"}}"
                        + (i + 1 < places.size() ? ",\n" : "\n"));
            }
            out.write("]}\n");
        }
        return file;
    }

    private CurrentUser wholeCityAdmin() {
        long id = jdbc.sql("SELECT u.id FROM app_user u JOIN user_role r ON r.user_id = u.id WHERE r.role = 'ADMIN' ORDER BY u.id LIMIT 1")
                .query(Long.class).single();
        List<String> districts = jdbc.sql("SELECT code FROM district ORDER BY code").query(String.class).list();
        return new CurrentUser(id, "import-benchmark", "import benchmark", Set.of(Role.ADMIN), new CallerScope(districts, Optional.empty(), true),
                null, false);
    }
}
