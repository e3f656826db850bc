package org.civicgrid.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

@CivicGridIntegrationTest
@Transactional
class PointGridAssignmentTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PointService points;

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void everyPointLiesInTheGridItIsAssignedTo() {
        assertThat(count("""
                SELECT count(*) FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                WHERE ST_Dimension(mp.geom) = 0 AND NOT ST_Covers(g.boundary, mp.geom)""")).isZero();
    }

    @Test
    void linesAndPolygonsGoToTheGridWithTheLargestShare() {
        assertThat(count("""
                SELECT count(*) FROM measurement_point mp JOIN grid assigned ON assigned.id = mp.grid_id
                WHERE ST_Dimension(mp.geom) = 1 AND EXISTS (
                    SELECT 1 FROM grid other WHERE other.valid_to IS NULL AND other.id <> assigned.id
                      AND ST_Length(ST_Intersection(other.boundary, mp.geom)::geography)
                          > 1.01 * ST_Length(ST_Intersection(assigned.boundary, mp.geom)::geography))"""))
                .as("lines assigned to a grid holding less of them than another").isZero();
        assertThat(count("""
                SELECT count(*) FROM measurement_point mp JOIN grid assigned ON assigned.id = mp.grid_id
                WHERE ST_Dimension(mp.geom) = 2 AND EXISTS (
                    SELECT 1 FROM grid other WHERE other.valid_to IS NULL AND other.id <> assigned.id
                      AND ST_Area(ST_Intersection(other.boundary, mp.geom)) > 1.01 * ST_Area(ST_Intersection(assigned.boundary, mp.geom)))"""))
                .as("polygons assigned to a grid holding less of them than another").isZero();
    }

    @Test
    void aMovedPointChangesGrid() throws Exception {
        GridSample first = gridSample(0);
        GridSample second = gridSample(200);

        MeasurementPoint point = points.create("BANK", "测试银行网点", new WKTReader().read(first.insideWkt()));
        assertThat(point.gridId()).isEqualTo(first.id());

        MeasurementPoint moved = points.move(point.id(), new WKTReader().read(second.insideWkt()));
        assertThat(moved.gridId()).isEqualTo(second.id());
        assertThat(jdbc.sql("SELECT grid_id FROM measurement_point WHERE id = ?").param(point.id()).query(Long.class).single())
                .isEqualTo(second.id());
        assertThat(jdbc.sql("SELECT after_state ->> 'gridId' FROM audit_log WHERE action = 'POINT_MOVED' AND object_id = ?")
                .param(String.valueOf(point.id())).query(String.class).single()).as("the move is audited").isEqualTo(String.valueOf(second.id()));
    }

    @Test
    void aGridTypedInIsReplacedByTheComputedOne() {
        long pointId = count("SELECT min(id) FROM measurement_point WHERE type_code = 'BANK'");
        long computed = count("SELECT grid_id FROM measurement_point WHERE id = " + pointId);
        long other = count("SELECT min(id) FROM grid WHERE id <> " + computed);

        jdbc.sql("UPDATE measurement_point SET grid_id = ? WHERE id = ?").param(other).param(pointId).update();

        assertThat(count("SELECT grid_id FROM measurement_point WHERE id = " + pointId)).isEqualTo(computed);
    }

    @Test
    void aGridTypedInOnInsertIsReplacedAndTheStatisticsCountThePointThere() {
        GridSample sample = gridSample(0);
        long other = count("SELECT min(id) FROM grid WHERE id <> " + sample.id());
        String points = "SELECT coalesce((SELECT points FROM grid_map_stats WHERE grid_id = %d), 0)";
        long inSample = count(points.formatted(sample.id()));
        long inOther = count(points.formatted(other));

        long id = jdbc.sql("INSERT INTO measurement_point (type_code, name, geom, grid_id) VALUES ('BANK', '插入的网点', ST_GeomFromText(?, 4326), ?) RETURNING id")
                .param(sample.insideWkt()).param(other).query(Long.class).single();
        long withoutGrid = jdbc.sql("INSERT INTO measurement_point (type_code, name, geom) VALUES ('BANK', '无网格的网点', ST_GeomFromText(?, 4326)) RETURNING id")
                .param(sample.insideWkt()).query(Long.class).single();

        assertThat(count("SELECT grid_id FROM measurement_point WHERE id = " + id)).isEqualTo(sample.id());
        assertThat(count("SELECT grid_id FROM measurement_point WHERE id = " + withoutGrid)).isEqualTo(sample.id());
        jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update(); // the deferred statistics triggers run now
        assertThat(count(points.formatted(sample.id()))).isEqualTo(inSample + 2);
        assertThat(count(points.formatted(other))).isEqualTo(inOther);
    }

    @Test
    void aGeometryOfTheWrongKindForTheTypeIsRefused() throws Exception {
        Geometry square = new WKTReader().read("POLYGON((120.60 31.30, 120.601 31.30, 120.601 31.301, 120.60 31.301, 120.60 31.30))");
        assertThatThrownBy(() -> points.create("BANK", "错误几何", square))
                .hasStackTraceContaining("a point of type BANK needs a POINT geometry");
    }

    @Test
    void movingAPointToAGeometryOfTheWrongKindIsRefused() throws Exception {
        long bank = count("SELECT min(id) FROM measurement_point WHERE type_code = 'BANK'");
        Geometry square = new WKTReader().read("POLYGON((120.60 31.30, 120.601 31.30, 120.601 31.301, 120.60 31.301, 120.60 31.30))");
        assertThatThrownBy(() -> points.move(bank, square)).hasStackTraceContaining("a point of type BANK needs a POINT geometry");
    }

    private record GridSample(long id, String insideWkt) {
    }

    private GridSample gridSample(int offset) {
        return jdbc.sql("SELECT id, ST_AsText(ST_PointOnSurface(boundary)) FROM grid WHERE valid_to IS NULL ORDER BY code OFFSET ? LIMIT 1")
                .param(offset).query((rs, n) -> new GridSample(rs.getLong(1), rs.getString(2))).single();
    }
}
