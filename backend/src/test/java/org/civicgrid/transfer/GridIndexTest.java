package org.civicgrid.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;

/** The in-memory grid lookup of imports: the database's rule where it decides, "uncertain" near any border. */
class GridIndexTest {

    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private static byte[] wkb(String wkt, int byteOrder) throws Exception {
        return new WKBWriter(2, byteOrder).write(new WKTReader(GEOMETRY).read(wkt));
    }

    @Test
    void pointsInsideOutsideAndOnBordersOfNeighbouringGrids() throws Exception {
        GridIndex index = new GridIndex(7, List.of(
                new GridIndex.Entry(2, "A", wkb("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0), (0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.4, 0.2 0.2))",
                        ByteOrderValues.LITTLE_ENDIAN)),
                new GridIndex.Entry(1, "B", wkb("POLYGON((1 0, 2 0, 2 1, 1 1, 1 0))", ByteOrderValues.BIG_ENDIAN)),
                new GridIndex.Entry(3, "C", wkb("MULTIPOLYGON(((5 5, 6 5, 6 6, 5 6, 5 5)), ((7 7, 8 7, 8 8, 7 8, 7 7)))",
                        ByteOrderValues.LITTLE_ENDIAN))));
        assertThat(index.revision).isEqualTo(7);
        String[] code = new String[1];
        assertThat(index.locate(0.7, 0.5, code)).isEqualTo(2);
        assertThat(code[0]).isEqualTo("A");
        assertThat(index.locate(1.5, 0.5, code)).isEqualTo(1);
        assertThat(code[0]).isEqualTo("B");
        assertThat(index.locate(0.3, 0.3)).as("in A's hole").isEqualTo(GridIndex.NONE);
        assertThat(index.locate(7.5, 7.5)).as("in C's second part").isEqualTo(3);
        assertThat(index.locate(3, 3)).isEqualTo(GridIndex.NONE);
        assertThat(index.locate(-50, 80)).isEqualTo(GridIndex.NONE);
        assertThat(index.locate(1.0, 0.5)).as("on the border of A and B").isEqualTo(GridIndex.UNCERTAIN);
        assertThat(index.locate(1.0, 1.0)).as("on a shared corner").isEqualTo(GridIndex.UNCERTAIN);
        assertThat(index.locate(0.4, 0.3)).as("on the hole's edge").isEqualTo(GridIndex.UNCERTAIN);
        assertThat(index.locate(1 + 5e-10, 0.5)).as("within 1e-9 of a border").isEqualTo(GridIndex.UNCERTAIN);
        assertThat(index.locate(1 + 1e-8, 0.5)).as("clear of it").isEqualTo(1);
        assertThat(index.locate(2 + 1e-8, 0.5)).isEqualTo(GridIndex.NONE);
    }

    @Test
    void agreesWithJtsOnRandomPointsAmongIrregularGrids() {
        Random random = new Random(11);
        List<GridIndex.Entry> entries = new ArrayList<>();
        List<Polygon> polygons = new ArrayList<>();
        WKBWriter writer = new WKBWriter();
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 30; j++) {
                // Overlapping irregular pentagons, so that boxes overlap and some points lie in two grids.
                double cx = 120 + i * 0.003 + random.nextDouble() * 0.001;
                double cy = 31 + j * 0.003 + random.nextDouble() * 0.001;
                Coordinate[] ring = new Coordinate[6];
                for (int k = 0; k < 5; k++) {
                    double angle = 2 * Math.PI * k / 5 + random.nextDouble() * 0.3;
                    double r = 0.0015 + random.nextDouble() * 0.001;
                    ring[k] = new Coordinate(cx + r * Math.cos(angle), cy + r * Math.sin(angle));
                }
                ring[5] = ring[0];
                Polygon polygon = GEOMETRY.createPolygon(ring);
                polygons.add(polygon);
                entries.add(new GridIndex.Entry(1000 - polygons.size(), "G" + polygons.size(), writer.write(polygon)));
            }
        }
        GridIndex index = new GridIndex(1, entries);
        int decided = 0;
        for (int n = 0; n < 20_000; n++) {
            double x = 120 - 0.002 + random.nextDouble() * 0.094;
            double y = 31 - 0.002 + random.nextDouble() * 0.094;
            Geometry point = GEOMETRY.createPoint(new Coordinate(x, y));
            long want = GridIndex.NONE;
            for (int k = 0; k < polygons.size(); k++) {
                if (polygons.get(k).intersects(point) && (want == GridIndex.NONE || entries.get(k).id() < want)) {
                    want = entries.get(k).id();
                }
            }
            long got = index.locate(x, y);
            if (got != GridIndex.UNCERTAIN) {
                decided++;
                assertThat(got).as("(%s, %s)", x, y).isEqualTo(want);
            }
        }
        assertThat(decided).as("almost every random point is decided in memory").isGreaterThan(19_900);
    }
}
