package org.civicgrid.geoformats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * ESRI Shapefiles (ESRI Shapefile Technical Description, 1998): .shp with its .dbf, .prj, .cpg (.shx is not
 * needed to read: records are read in order). Reads Null, Point, MultiPoint, PolyLine and Polygon shapes and
 * their Z and M variants (Z and M dropped); writes the 2D types. Polygon rings: outer rings clockwise, holes
 * counter-clockwise, each hole given to the smallest outer ring that contains it.
 */
final class ShapefileFiles {

    static final String WGS84_PRJ = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
            + "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    private static final int NULL = 0;
    private static final int POINT = 1;
    private static final int POLYLINE = 3;
    private static final int POLYGON = 5;
    private static final int MULTIPOINT = 8;

    private static final GeometryFactory FACTORY = GeoJsonFiles.FACTORY;

    private ShapefileFiles() {
    }

    // ---- reading

    static List<GeoFeature> read(String base, byte[] shp, byte[] shx, byte[] dbf, byte[] prj, byte[] cpg, Crs assumed) {
        String name = base.substring(base.lastIndexOf('/') + 1);
        if (dbf == null) {
            throw new GeoFileException("the zip holds " + name + ".shp but not its " + name
                    + ".dbf (the attributes); zip the .shp, .shx, .dbf and .prj together");
        }
        List<Geometry> geometries = readShapes(shp);
        List<Map<String, Object>> rows = DbfFiles.read(dbf, cpg);
        if (rows.size() != geometries.size()) {
            throw new GeoFileException("the .shp holds " + geometries.size() + " shapes but the .dbf "
                    + rows.size() + " records");
        }
        Crs crs;
        if (prj != null && !new String(prj, StandardCharsets.UTF_8).isBlank()) {
            crs = PrjCrs.parse(new String(prj, StandardCharsets.UTF_8));
        } else {
            Envelope extent = new Envelope();
            geometries.forEach(g -> {
                if (g != null) {
                    extent.expandToInclude(g.getEnvelopeInternal());
                }
            });
            try {
                crs = Crs.undeclared(extent, "no .prj file beside " + name + ".shp");
            } catch (GeoFileException e) {
                if (assumed == null) {
                    throw e;
                }
                crs = assumed;
            }
        }
        List<GeoFeature> features = new ArrayList<>(geometries.size());
        for (int i = 0; i < geometries.size(); i++) {
            if (rows.get(i) != null) { // a record deleted in the .dbf
                features.add(new GeoFeature(crs.toLonLat(geometries.get(i), "feature " + (i + 1)), rows.get(i)));
            }
        }
        return features;
    }

    static List<Geometry> readShapes(byte[] shp) {
        if (shp.length < 100) {
            throw new GeoFileException("the .shp is truncated: " + shp.length + " bytes, shorter than its 100-byte header");
        }
        ByteBuffer big = ByteBuffer.wrap(shp).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer little = ByteBuffer.wrap(shp).order(ByteOrder.LITTLE_ENDIAN);
        if (big.getInt(0) != 9994) {
            throw new GeoFileException("the .shp is not a shapefile (file code " + big.getInt(0) + ", expected 9994)");
        }
        long declared = 2L * Integer.toUnsignedLong(big.getInt(24));
        if (declared < 100) {
            throw new GeoFileException("the .shp header is damaged: it declares " + declared + " bytes");
        }
        if (declared > shp.length) {
            throw new GeoFileException("the .shp is truncated: its header declares " + declared + " bytes but it has "
                    + shp.length);
        }
        List<Geometry> shapes = new ArrayList<>();
        int position = 100;
        while (position + 8 <= declared) {
            int number = shapes.size() + 1;
            GeoFiles.checkFeatureCount(number);
            long length = 2L * big.getInt(position + 4);
            int content = position + 8;
            if (length < 4 || content + length > declared) {
                throw new GeoFileException("the .shp is truncated: record " + number + " needs " + length
                        + " bytes from byte " + content + " but the file ends at byte " + declared);
            }
            try {
                shapes.add(shape(little.slice(content, (int) length).order(ByteOrder.LITTLE_ENDIAN)));
            } catch (IndexOutOfBoundsException e) {
                throw new GeoFileException("feature " + number + ": the shape record is shorter than its point count says");
            } catch (IllegalArgumentException e) {
                throw new GeoFileException("feature " + number + ": the shape cannot be read: " + e.getMessage());
            }
            position = (int) (content + length);
        }
        if (position != declared) {
            throw new GeoFileException("the .shp is truncated: " + (declared - position) + " bytes after record "
                    + shapes.size() + " form no record");
        }
        return shapes;
    }

    private static Geometry shape(ByteBuffer b) {
        int type = b.getInt(0);
        int base = type % 10; // 13/23 → 3: the Z and M variants start with the 2D layout
        switch (type) {
            case NULL:
                return null;
            case 1, 11, 21:
                return FACTORY.createPoint(new Coordinate(b.getDouble(4), b.getDouble(12)));
            case 8, 18, 28: {
                int count = b.getInt(36);
                checkCount(count, b, 40, 16);
                Point[] points = new Point[count];
                for (int i = 0; i < count; i++) {
                    points[i] = FACTORY.createPoint(new Coordinate(b.getDouble(40 + 16 * i), b.getDouble(48 + 16 * i)));
                }
                return FACTORY.createMultiPoint(points);
            }
            case 3, 13, 23, 5, 15, 25: {
                int parts = b.getInt(36);
                int count = b.getInt(40);
                checkCount(parts, b, 44, 4);
                int pointsAt = 44 + 4 * parts;
                checkCount(count, b, pointsAt, 16);
                List<Coordinate[]> rings = new ArrayList<>(parts);
                for (int p = 0; p < parts; p++) {
                    int from = b.getInt(44 + 4 * p);
                    int to = p + 1 < parts ? b.getInt(44 + 4 * (p + 1)) : count;
                    if (from < 0 || to > count || from > to) {
                        throw new IllegalArgumentException("part " + (p + 1) + " has a bad start index " + from);
                    }
                    Coordinate[] c = new Coordinate[to - from];
                    for (int i = from; i < to; i++) {
                        c[i - from] = new Coordinate(b.getDouble(pointsAt + 16 * i), b.getDouble(pointsAt + 8 + 16 * i));
                    }
                    rings.add(c);
                }
                return base == 3 ? lines(rings) : polygons(rings);
            }
            default:
                throw new IllegalArgumentException("shape type " + type + (type == 31 ? " (MultiPatch)" : "")
                        + " is not supported");
        }
    }

    private static void checkCount(int count, ByteBuffer b, int at, int size) {
        if (count < 0 || at + (long) count * size > b.limit()) {
            throw new IllegalArgumentException("it declares " + count + " parts or points, more than its record holds");
        }
    }

    private static Geometry lines(List<Coordinate[]> parts) {
        LineString[] lines = new LineString[parts.size()];
        for (int i = 0; i < lines.length; i++) {
            if (parts.get(i).length < 2) {
                throw new IllegalArgumentException("line part " + (i + 1) + " has " + parts.get(i).length
                        + " point; at least 2 are needed");
            }
            lines[i] = FACTORY.createLineString(parts.get(i));
        }
        return lines.length == 1 ? lines[0] : FACTORY.createMultiLineString(lines);
    }

    private static Geometry polygons(List<Coordinate[]> parts) {
        List<LinearRing> shells = new ArrayList<>();
        List<LinearRing> holes = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Coordinate[] c = parts.get(i);
            if (c.length < 4) {
                throw new IllegalArgumentException("polygon ring " + (i + 1) + " has " + c.length
                        + " points; at least 4 are needed");
            }
            if (!c[0].equals2D(c[c.length - 1])) {
                throw new IllegalArgumentException("polygon ring " + (i + 1) + " is not closed");
            }
            LinearRing ring = FACTORY.createLinearRing(c);
            (Orientation.isCCW(c) ? holes : shells).add(ring);
        }
        if (shells.isEmpty()) { // every ring counter-clockwise: a writer that ignored the rule; read them as shells
            shells.addAll(holes);
            holes.clear();
        }
        List<List<LinearRing>> holesOf = new ArrayList<>();
        List<IndexedPointInAreaLocator> locators = new ArrayList<>();
        for (LinearRing shell : shells) {
            holesOf.add(new ArrayList<>());
            locators.add(new IndexedPointInAreaLocator(FACTORY.createPolygon(shell)));
        }
        for (LinearRing hole : holes) {
            int best = -1;
            for (int s = 0; s < shells.size(); s++) {
                if (shells.get(s).getEnvelopeInternal().covers(hole.getEnvelopeInternal()) && inside(hole, locators.get(s))
                        && (best < 0 || area(shells.get(s)) < area(shells.get(best)))) {
                    best = s;
                }
            }
            if (best < 0) { // a hole in no shell: kept as its own ring so that validation can show it
                shells.add(hole);
                holesOf.add(new ArrayList<>());
                locators.add(null);
            } else {
                holesOf.get(best).add(hole);
            }
        }
        Polygon[] polygons = new Polygon[shells.size()];
        for (int s = 0; s < polygons.length; s++) {
            polygons[s] = FACTORY.createPolygon(shells.get(s), holesOf.get(s).toArray(LinearRing[]::new));
        }
        return polygons.length == 1 ? polygons[0] : FACTORY.createMultiPolygon(polygons);
    }

    /** No vertex of the hole outside the shell. */
    private static boolean inside(LinearRing hole, IndexedPointInAreaLocator shell) {
        for (Coordinate c : hole.getCoordinates()) {
            if (shell.locate(c) == Location.EXTERIOR) {
                return false;
            }
        }
        return true;
    }

    private static double area(LinearRing ring) {
        return Math.abs(org.locationtech.jts.algorithm.Area.ofRing(ring.getCoordinateSequence()));
    }

    // ---- writing

    /** The files of the shapefile named {@code layer}: .shp, .shx, .dbf, .prj and (if asked) .cpg. */
    static Map<String, byte[]> write(String layer, List<GeoFeature> features, Charset charset, String prj, boolean cpg) {
        String name = layer.replaceAll("[\\\\/:*?\"<>|\\x00-\\x1f]", "_");
        int type = shapeType(features);
        List<byte[]> records = new ArrayList<>(features.size());
        Envelope extent = new Envelope();
        for (GeoFeature f : features) {
            Geometry g = f.geometry() == null || f.geometry().isEmpty() ? null : f.geometry();
            records.add(record(g, type));
            if (g != null) {
                extent.expandToInclude(g.getEnvelopeInternal());
            }
        }
        int shpLength = 100 + records.stream().mapToInt(r -> 8 + r.length).sum();
        ByteBuffer shp = header(shpLength, type, extent);
        ByteBuffer shx = header(100 + 8 * records.size(), type, extent);
        int offset = 100;
        int number = 0;
        for (byte[] r : records) {
            shp.order(ByteOrder.BIG_ENDIAN).putInt(++number).putInt(r.length / 2).put(r);
            shx.order(ByteOrder.BIG_ENDIAN).putInt(offset / 2).putInt(r.length / 2);
            offset += 8 + r.length;
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + ".shp", shp.array());
        files.put(name + ".shx", shx.array());
        files.put(name + ".dbf", DbfFiles.write(features, charset));
        files.put(name + ".prj", prj.getBytes(StandardCharsets.US_ASCII));
        if (cpg) {
            files.put(name + ".cpg", charset.name().getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }

    private static int shapeType(List<GeoFeature> features) {
        int type = NULL;
        String first = null;
        boolean multiPoint = false;
        for (int i = 0; i < features.size(); i++) {
            Geometry g = features.get(i).geometry();
            if (g == null || g.isEmpty()) {
                continue;
            }
            int t;
            if (g instanceof Point) {
                t = POINT;
            } else if (g instanceof MultiPoint) {
                t = POINT;
                multiPoint = true;
            } else if (g instanceof LineString || g instanceof MultiLineString) {
                t = POLYLINE;
            } else if (g instanceof Polygon || g instanceof MultiPolygon) {
                t = POLYGON;
            } else {
                throw new GeoFileException("feature " + (i + 1) + ": a " + g.getGeometryType()
                        + " cannot be written to a shapefile");
            }
            if (type != NULL && t != type) {
                throw new GeoFileException("a shapefile holds one geometry type: feature " + (i + 1) + " is a "
                        + g.getGeometryType() + " after " + first + "s");
            }
            type = t;
            first = first == null ? g.getGeometryType() : first;
        }
        return type == POINT && multiPoint ? MULTIPOINT : type;
    }

    private static ByteBuffer header(int length, int type, Envelope extent) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.order(ByteOrder.BIG_ENDIAN).putInt(9994).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).putInt(length / 2);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(1000).putInt(type);
        boolean empty = extent.isNull();
        b.putDouble(empty ? 0 : extent.getMinX()).putDouble(empty ? 0 : extent.getMinY())
                .putDouble(empty ? 0 : extent.getMaxX()).putDouble(empty ? 0 : extent.getMaxY());
        b.putDouble(0).putDouble(0).putDouble(0).putDouble(0);
        return b;
    }

    private static byte[] record(Geometry g, int type) {
        if (g == null) {
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(NULL).array();
        }
        if (type == POINT) {
            Coordinate c = g.getCoordinate();
            return ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(POINT).putDouble(c.x).putDouble(c.y).array();
        }
        Envelope e = g.getEnvelopeInternal();
        if (type == MULTIPOINT) {
            Coordinate[] points = g.getCoordinates();
            ByteBuffer b = ByteBuffer.allocate(40 + 16 * points.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(MULTIPOINT).putDouble(e.getMinX()).putDouble(e.getMinY()).putDouble(e.getMaxX()).putDouble(e.getMaxY());
            b.putInt(points.length);
            for (Coordinate c : points) {
                b.putDouble(c.x).putDouble(c.y);
            }
            return b.array();
        }
        List<Coordinate[]> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Geometry part = g.getGeometryN(i);
            if (part instanceof Polygon p) {
                if (p.isEmpty()) {
                    continue;
                }
                parts.add(oriented(p.getExteriorRing().getCoordinates(), false));
                for (int h = 0; h < p.getNumInteriorRing(); h++) {
                    parts.add(oriented(p.getInteriorRingN(h).getCoordinates(), true));
                }
            } else if (!part.isEmpty()) {
                parts.add(part.getCoordinates());
            }
        }
        int count = parts.stream().mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * parts.size() + 16 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putDouble(e.getMinX()).putDouble(e.getMinY()).putDouble(e.getMaxX()).putDouble(e.getMaxY());
        b.putInt(parts.size()).putInt(count);
        int start = 0;
        for (Coordinate[] p : parts) {
            b.putInt(start);
            start += p.length;
        }
        for (Coordinate[] p : parts) {
            for (Coordinate c : p) {
                b.putDouble(c.x).putDouble(c.y);
            }
        }
        return b.array();
    }

    /** The ring clockwise (outer) or counter-clockwise (hole), as the shapefile rule wants. */
    private static Coordinate[] oriented(Coordinate[] ring, boolean counterClockwise) {
        if (Orientation.isCCW(ring) == counterClockwise) {
            return ring;
        }
        Coordinate[] reversed = ring.clone();
        java.util.Collections.reverse(java.util.Arrays.asList(reversed));
        return reversed;
    }
}
