package org.civicgrid.data;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Streams a GeoJSON FeatureCollection with one feature per line, fixed 7-decimal coordinates and RFC 7946
 * ring orientation (outer rings counter-clockwise, holes clockwise).
 */
final class GeoJsonWriter implements Closeable {

    /** Builds a feature's {@code properties} object in insertion order. */
    static final class Properties {
        private final StringBuilder json = new StringBuilder(160).append('{');

        Properties put(String name, String value) {
            key(name);
            Fmt.appendJsonString(json, value);
            return this;
        }

        Properties put(String name, Integer value) {
            key(name);
            json.append(value == null ? "null" : value.toString());
            return this;
        }

        private void key(String name) {
            if (json.length() > 1) {
                json.append(',');
            }
            Fmt.appendJsonString(json, name).append(':');
        }

        private String toJson() {
            return json + "}";
        }
    }

    private final Writer out;
    private boolean first = true;
    private long count;

    GeoJsonWriter(Path file) throws IOException {
        out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
        out.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
    }

    void write(Properties properties, Geometry geometry) throws IOException {
        StringBuilder line = new StringBuilder(256);
        if (!first) {
            line.append(",\n");
        }
        first = false;
        line.append("{\"type\":\"Feature\",\"properties\":").append(properties.toJson()).append(",\"geometry\":");
        appendGeometry(line, geometry);
        line.append('}');
        out.append(line);
        count++;
    }

    long count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        out.write("\n]}\n");
        out.close();
    }

    static void appendGeometry(StringBuilder out, Geometry geometry) {
        if (geometry instanceof Point p) {
            out.append("{\"type\":\"Point\",\"coordinates\":");
            appendPosition(out, p.getCoordinate());
        } else if (geometry instanceof LineString l) {
            out.append("{\"type\":\"LineString\",\"coordinates\":");
            appendPositions(out, l.getCoordinates());
        } else if (geometry instanceof Polygon p) {
            out.append("{\"type\":\"Polygon\",\"coordinates\":");
            appendRings(out, p);
        } else if (geometry instanceof MultiPolygon m) {
            out.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (int i = 0; i < m.getNumGeometries(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendRings(out, (Polygon) m.getGeometryN(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("unsupported geometry " + geometry.getGeometryType());
        }
        out.append('}');
    }

    private static void appendRings(StringBuilder out, Polygon polygon) {
        out.append('[');
        appendPositions(out, oriented(polygon.getExteriorRing().getCoordinates(), true));
        for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
            out.append(',');
            appendPositions(out, oriented(polygon.getInteriorRingN(i).getCoordinates(), false));
        }
        out.append(']');
    }

    private static Coordinate[] oriented(Coordinate[] ring, boolean counterClockwise) {
        if (Orientation.isCCW(ring) == counterClockwise) {
            return ring;
        }
        Coordinate[] reversed = new Coordinate[ring.length];
        for (int i = 0; i < ring.length; i++) {
            reversed[i] = ring[ring.length - 1 - i];
        }
        return reversed;
    }

    private static void appendPositions(StringBuilder out, Coordinate[] coordinates) {
        out.append('[');
        for (int i = 0; i < coordinates.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            appendPosition(out, coordinates[i]);
        }
        out.append(']');
    }

    private static void appendPosition(StringBuilder out, Coordinate c) {
        out.append('[');
        Fmt.appendDegrees(out, c.x).append(',');
        Fmt.appendDegrees(out, c.y).append(']');
    }
}
