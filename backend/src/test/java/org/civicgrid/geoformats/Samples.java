package org.civicgrid.geoformats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/** Features near Suzhou (lon 120.6, lat 31.3) for the round trips. */
final class Samples {

    private Samples() {
    }

    static Geometry wkt(String wkt) {
        try {
            return new WKTReader(GeoJsonFiles.FACTORY).read(wkt);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Polygons with a hole and a two-part multipolygon with a hole, Chinese text, numbers, dates, booleans. */
    static List<GeoFeature> polygons() {
        return List.of(
                new GeoFeature(wkt("POLYGON ((120.6 31.3, 120.61 31.3, 120.61 31.31, 120.6 31.31, 120.6 31.3),"
                        + " (120.603 31.303, 120.603 31.306, 120.606 31.306, 120.606 31.303, 120.603 31.303))"),
                        props("code", "320508001001001", "名称", "平江街道第一网格", "points", 42L,
                                "area_km2", 1.25, "since", LocalDate.of(2024, 3, 1), "active", true)),
                new GeoFeature(wkt("MULTIPOLYGON (((120.62 31.3, 120.63 31.3, 120.63 31.31, 120.62 31.31, 120.62 31.3)),"
                        + " ((120.64 31.3, 120.66 31.3, 120.66 31.32, 120.64 31.32, 120.64 31.3),"
                        + " (120.645 31.305, 120.645 31.31, 120.65 31.31, 120.65 31.305, 120.645 31.305)))"),
                        props("code", "320508001001002", "名称", "观前社区·二网格", "points", -7L,
                                "area_km2", 0.0625, "since", LocalDate.of(1999, 12, 31), "active", false)),
                new GeoFeature(wkt("POLYGON ((120.67 31.3, 120.6712345 31.3, 120.6712345 31.3012345, 120.67 31.3))"),
                        props("code", "320508001001003", "名称", null, "points", null, "area_km2", null,
                                "since", null, "active", null)));
    }

    static List<GeoFeature> points() {
        return List.of(
                new GeoFeature(wkt("POINT (120.6234567 31.3123456)"), props("name", "垃圾桶 #1", "count", 3L)),
                new GeoFeature(wkt("POINT (-73.9857 40.7484)"), props("name", "Empire State", "count", 102L)));
    }

    static List<GeoFeature> lines() {
        return List.of(
                new GeoFeature(wkt("LINESTRING (120.6 31.3, 120.61 31.305, 120.62 31.3)"), props("road", "人民路")),
                new GeoFeature(wkt("MULTILINESTRING ((120.6 31.31, 120.61 31.31), (120.62 31.31, 120.63 31.32, 120.64 31.31))"),
                        props("road", "干将路")));
    }

    /** Same geometry within 1e-7 (ring orientation and start vertex may differ where the format prescribes them). */
    static void assertSameGeometry(Geometry actual, Geometry expected, boolean normalize) {
        Geometry a = normalize ? actual.norm() : actual;
        Geometry e = normalize ? expected.norm() : expected;
        assertThat(a.equalsExact(e, 1e-7)).as("%s equals %s", actual, expected).isTrue();
    }

    /**
     * Same shape within {@code tolerance} degrees, whatever the ring start or orientation: same type, parts, rings and
     * vertex count, and every vertex of each within the tolerance of the other (discrete Hausdorff distance).
     */
    static void assertSameShape(Geometry actual, Geometry expected, double tolerance) {
        assertThat(actual.getGeometryType()).isEqualTo(expected.getGeometryType());
        assertThat(actual.getNumGeometries()).isEqualTo(expected.getNumGeometries());
        assertThat(actual.getNumPoints()).isEqualTo(expected.getNumPoints());
        for (int i = 0; i < expected.getNumGeometries(); i++) {
            if (expected.getGeometryN(i) instanceof org.locationtech.jts.geom.Polygon p) {
                assertThat(((org.locationtech.jts.geom.Polygon) actual.getGeometryN(i)).getNumInteriorRing())
                        .isEqualTo(p.getNumInteriorRing());
            }
        }
        assertThat(org.locationtech.jts.algorithm.distance.DiscreteHausdorffDistance.distance(actual, expected))
                .as("%s lies within %s of %s", actual, tolerance, expected).isLessThanOrEqualTo(tolerance);
    }

    static void assertSameFeatures(List<GeoFeature> actual, List<GeoFeature> expected, boolean normalize) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertSameGeometry(actual.get(i).geometry(), expected.get(i).geometry(), normalize);
            assertThat(actual.get(i).properties()).as("properties of feature %d", i + 1)
                    .containsExactlyEntriesOf(expected.get(i).properties());
        }
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
